"""The cash receipts journal: every loan payment received in the period and
every reversal of one, by day and method, with the day's deposit per method
that a cashier balances against the bank.

What the cashier handles: money comes in only as `loans.Payment` (a loan
payment at the counter, by mail, ACH, card, on the utility bill or from a
lockbox batch, and a recovery on a written-off loan, which is a Payment
too). Rebate checks and disbursement checks go out, so they are not
receipts.

- Entries: a payment on its received date; a reversal (NSF, returned,
  posting error) as a negative row on its reversal date, the date of the
  reversing ledger entries, so a payment received in the period and
  returned after it stays positive here and is negative in the next one.
- Deposits: per received date and method, the payments received that day
  (gross: a returned check was deposited, and the bank charges it back
  separately, as the reversal rows show). Deposits − reversals = the
  entries' total.

Set-based reads: three queries whatever the number of payments.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, F, Max, Q, Sum

from loans.choices import PaymentMethod, PaymentStatus
from loans.models import Payment
from portal.money import format_money
from regulatory_reports.kinds import (
    Column,
    ReportKind,
    ReportResult,
    Section,
    money,
    register,
)
from regulatory_reports.kinds.psc import Rows
from regulatory_reports.kinds.psc_queries import AMOUNT, CUSTOMER, ZERO, _customer, _dec

METHODS = dict(PaymentMethod.choices)

ENTRY_COLUMNS = [
    Column("date", "Received (reversed) on", "date"),
    Column("method", "Method"),
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("reference", "Reference"),
    Column("amount", "Amount", "money"),
]
DEPOSIT_COLUMNS = [
    Column("date", "Deposit date", "date"),
    Column("method", "Method"),
    Column("count", "Payments", "int"),
    Column("amount", "Amount", "money"),
]


def _order(row: dict[str, Any]) -> tuple[date, str, str]:
    return (row["date"], row["loan"], row["reference"])


def entry_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """Payments received in the period and reversals made in it, merged by
    date, loan and reference."""
    received = (
        Payment.objects.filter(received_on__range=(start, end))
        .values("pk", "received_on", "method", "loan__number", *CUSTOMER)
        .annotate(reference_=F("reference"), amount_=F("amount"))
        .order_by("received_on", "loan__number", "reference")
    )
    # The reversal date is that of the reversing entries the reversal posted
    # (its `reversed_on`); an earlier re-allocation's reversals are older.
    reversed_ = (
        Payment.objects.filter(status=PaymentStatus.REVERSED)
        .annotate(
            reversed_on=Max(
                "entries__effective_on", filter=Q(entries__reverses__isnull=False)
            )
        )
        .filter(reversed_on__range=(start, end))
        .values("pk", "reversed_on", "method", "loan__number", *CUSTOMER)
        .annotate(reference_=F("reference"), amount_=F("amount"))
        .order_by("reversed_on", "loan__number", "reference")
    )

    def rows(query: Any, day: str, sign: int) -> Iterator[dict[str, Any]]:
        for row in query.iterator(chunk_size=5000):
            yield {
                "date": row[day],
                "method": METHODS.get(row["method"], row["method"]),
                "method_key": row["method"],
                "loan": row["loan__number"],
                "customer": _customer(row),
                "reference": row["reference_"],
                "amount": sign * _dec(row["amount_"]),
            }

    return heapq.merge(
        rows(received, "received_on", 1), rows(reversed_, "reversed_on", -1), key=_order
    )


def deposit_rows(start: date, end: date) -> list[dict[str, Any]]:
    """Per received date and method: the payments received and their sum."""
    rows = (
        Payment.objects.filter(received_on__range=(start, end))
        .values("received_on", "method")
        .annotate(count=Count("pk"), amount=Sum("amount", output_field=AMOUNT))
        .order_by("received_on", "method")
    )
    return [
        {
            "date": row["received_on"],
            "method": METHODS.get(row["method"], row["method"]),
            "method_key": row["method"],
            "count": row["count"],
            "amount": _dec(row["amount"]),
        }
        for row in rows
    ]


def _public(rows: Any) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {key: value for key, value in row.items() if key != "method_key"}


@register
class CashReceiptsJournal(ReportKind):
    key = "cash_receipts"
    title = "Cash receipts journal"

    def build(self, *, start: date, end: date) -> ReportResult:
        entries = Rows(entry_rows, start, end)
        by_method: dict[str, dict[str, Any]] = {
            method: {"count": 0, "amount": ZERO} for method in PaymentMethod.values
        }
        count, total, reversals, reversed_amount = 0, ZERO, 0, ZERO
        for row in entries:
            tally = by_method[row["method_key"]]
            tally["count"] += 1
            tally["amount"] += row["amount"]
            count += 1
            total += row["amount"]
            if row["amount"] < 0:
                reversals += 1
                reversed_amount += row["amount"]
        deposits = deposit_rows(start, end)
        deposited = sum((row["amount"] for row in deposits), ZERO)
        deposit_count = sum(row["count"] for row in deposits)
        figures = {
            "receipts": {
                "count": count,
                "amount": money(total),
                "by_method": {
                    method: {"count": t["count"], "amount": money(t["amount"])}
                    for method, t in by_method.items()
                },
            },
            "days": [
                {
                    "date": row["date"].isoformat(),
                    "method": row["method_key"],
                    "count": row["count"],
                    "amount": money(row["amount"]),
                }
                for row in deposits
            ],
        }
        summary: list[tuple[str, Any, Any]] = [
            ("Entries (payments and reversals)", count, "int"),
            ("Total received, net of reversals", total, "money"),
            ("Payments deposited", deposit_count, "int"),
            ("Deposits", deposited, "money"),
            ("Reversals", reversals, "int"),
            ("Reversed", reversed_amount, "money"),
            (
                "Deposits − reversals = net received",
                f"{format_money(deposited)} − {format_money(-reversed_amount)}"
                f" = {format_money(total)}",
                "text",
            ),
        ]
        for method, t in by_method.items():
            if t["count"]:
                summary.append((f"{METHODS[method]}: entries", t["count"], "int"))
                summary.append(
                    (f"{METHODS[method]}: net received", t["amount"], "money")
                )
        sections = [
            Section(
                "entries",
                "Cash receipts",
                ENTRY_COLUMNS,
                Rows(_public, entries),
                {"amount": total},
                loan_key="loan",
            ),
            Section(
                "deposits",
                "Deposits by day and method",
                DEPOSIT_COLUMNS,
                list(_public(deposits)),
                {"count": deposit_count, "amount": deposited},
            ),
        ]
        return ReportResult(figures=figures, summary=summary, sections=sections)
