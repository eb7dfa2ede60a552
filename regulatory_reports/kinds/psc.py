"""The PSC zero-interest loan guarantee report: for one period and every
product flagged `state_guaranteed`, payment receipts, matured loans,
delinquent loans as of the period's last day, the actions taken on them,
and a summary whose principal reconciles to the cent.

Every figure comes from set-based queries over the ledger (a handful of
queries whatever the number of loans; never one replay per loan):

- a principal balance "at" a date is the sum of the loan's DISBURSEMENT
  entries minus its PRINCIPAL_PAID, PREPAYMENT and WRITE_OFF entries
  effective on or before that date, so a past period gives the same
  figures today unless an entry was back-dated into it;
- amounts received in the period are the ledger's entries effective in it
  (a reversal entry carries its reversal date, so a reversal in the period
  nets out there, and a payment reversed after the period stays in it);
- delinquency as of the last day counts only allocations effective by then
  of payments received by then, against the installments due before it
  (an installment's amount is fixed once due; see loans.aging_selectors).

The per-section query helpers live in `psc_queries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from loans.choices import ActionType
from loans.schedule import DPD_BUCKETS
from portal.money import format_money
from regulatory_reports.kinds import (
    Column,
    ColumnTotals,
    ReportError,
    ReportKind,
    ReportResult,
    Section,
    column_totals,
    money,
    register,
)
from regulatory_reports.kinds import psc_queries as q

ZERO = Decimal("0.00")
BUCKETS = [name for name in DPD_BUCKETS if name != "current"]


@dataclass(frozen=True)
class LoanPrincipal:
    """One loan's principal movement over the period (from the ledger)."""

    number: str
    start: Decimal
    disbursed: Decimal
    received: Decimal
    written_off: Decimal
    end: Decimal

    def reconciles(self) -> bool:
        return self.start + self.disbursed - self.received - self.written_off == (
            self.end
        )


def check_reconciliation(loans: Iterable[LoanPrincipal]) -> None:
    """Raise ReportError naming every loan whose principal at the start plus
    disbursed, less received and written off, is not its principal at the end."""
    broken = [loan for loan in loans if not loan.reconciles()]
    if broken:
        details = "; ".join(
            f"{loan.number}: {format_money(loan.start)} + "
            f"{format_money(loan.disbursed)} − {format_money(loan.received)} − "
            f"{format_money(loan.written_off)} ≠ {format_money(loan.end)}"
            for loan in broken
        )
        raise ReportError(
            f"The principal does not reconcile for {len(broken)} "
            f"loan{'s' if len(broken) != 1 else ''}: {details}. "
            "The report was not generated."
        )


class Rows:
    """Re-iterable rows: each pass runs the query again (rows are streamed,
    never all held in memory)."""

    def __init__(self, produce: Any, *args: Any) -> None:
        self._produce = produce
        self._args = args

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._produce(*self._args))


class TalliedRows:
    """Re-iterable rows whose totals are added up while they stream: the
    largest section (the quarter's payments) is read once, by the exports,
    and its totals (and the figures made from them) are complete once the
    files are written. Each pass starts the totals again."""

    def __init__(
        self,
        produce: Any,
        args: tuple[Any, ...],
        keys: list[str],
        done: Any,
    ) -> None:
        self._produce = produce
        self._args = args
        self._keys = keys
        self._done = done
        self.totals: dict[str, Any] = {}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        tally = ColumnTotals(self._keys, counted=True)
        for row in self._produce(*self._args):
            tally.add(row)
            yield row
        totals = tally.result()
        self.totals = totals
        self._done(totals)


RECEIPT_COLUMNS = [
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("date", "Received (reversed) on", "date"),
    Column("method", "Method"),
    Column("reference", "Reference"),
    Column("amount", "Amount", "money"),
    Column("principal", "Principal", "money"),
    Column("interest", "Interest", "money"),
    Column("fees", "Fees", "money"),
]
MATURED_COLUMNS = [
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("final_due", "Final due date", "date"),
    Column("original_principal", "Original principal", "money"),
    Column("repaid", "Amount repaid", "money"),
    Column("balance", "Principal balance at maturity", "money"),
    Column("status", "Status at maturity"),
]
DELINQUENT_COLUMNS = [
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("bucket", "Days past due bucket"),
    Column("dpd", "Days past due", "int"),
    Column("past_due", "Past-due amount", "money"),
    Column("principal", "Outstanding principal", "money"),
]
ACTION_COLUMNS = [
    Column("date", "Date", "date"),
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("type", "Action"),
    Column("outcome", "Outcome"),
]
WRITE_OFF_COLUMNS = [
    Column("date", "Write-off date", "date"),
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("principal", "Principal", "money"),
    Column("interest", "Interest", "money"),
    Column("fees", "Fees", "money"),
    Column("total", "Total written off", "money"),
]
CLAIM_COLUMNS = [
    Column("loan", "Loan"),
    Column("customer", "Customer"),
    Column("submitted_on", "Submitted on", "date"),
    Column("claimed", "Claimed in the period", "money"),
    Column("paid_on", "Paid on", "date"),
    Column("received", "Received in the period", "money"),
    Column("status", "Status"),
]


@register
class PscReport(ReportKind):
    key = "psc"
    title = "PSC zero-interest loan guarantee report"

    def build(self, *, start: date, end: date) -> ReportResult:
        summary = self._summary(start, end)
        # The receipts are read once, by the exports: their figures and the
        # section's totals are filled in as the rows stream (TalliedRows).
        receipt_figures: dict[str, Any] = {}
        receipt_section_totals: dict[str, Decimal | int] = {}

        def receipts_done(totals: dict[str, Any]) -> None:
            receipt_figures.clear()
            receipt_figures.update(
                {
                    "count": totals["count"],
                    "amount": money(totals["amount"]),
                    "principal": money(totals["principal"]),
                    "interest": money(totals["interest"]),
                    "fees": money(totals["fees"]),
                }
            )
            receipt_section_totals.clear()
            receipt_section_totals.update(_without_count(totals))

        receipts = TalliedRows(
            q.receipt_rows,
            (start, end),
            ["amount", "principal", "interest", "fees"],
            receipts_done,
        )
        matured = Rows(q.matured_rows, start, end)
        matured_totals = column_totals(
            matured, ["original_principal", "repaid", "balance"], counted=True
        )
        delinquent_rows = list(q.delinquent_rows(end))
        delinquent = self._delinquent(delinquent_rows)
        actions = Rows(q.action_rows, start, end)
        by_type = dict.fromkeys(ActionType.values, 0)
        action_count = 0
        for row in actions:
            by_type[row["type_key"]] += 1
            action_count += 1
        write_offs = Rows(q.write_off_rows, start, end)
        write_off_totals = column_totals(
            write_offs, ["principal", "interest", "fees", "total"], counted=True
        )
        claims = Rows(q.claim_rows, start, end)
        claim_totals = column_totals(claims, ["claimed", "received"], counted=True)

        figures = {
            "summary": {
                key: money(value) if isinstance(value, Decimal) else value
                for key, value in summary.items()
            },
            "receipts": receipt_figures,
            "matured": {
                "count": matured_totals["count"],
                "original_principal": money(matured_totals["original_principal"]),
                "balance": money(matured_totals["balance"]),
            },
            "delinquent": delinquent,
            "actions": {
                "count": action_count,
                "by_type": by_type,
                "written_off": money(write_off_totals["total"]),
                "guarantee_claimed": money(claim_totals["claimed"]),
                "guarantee_received": money(claim_totals["received"]),
            },
        }
        sections = [
            Section(
                "receipts",
                "Payment receipts",
                RECEIPT_COLUMNS,
                receipts,
                receipt_section_totals,
                loan_key="loan",
            ),
            Section(
                "matured",
                "Matured loans",
                MATURED_COLUMNS,
                matured,
                _without_count(matured_totals),
                loan_key="loan",
            ),
            Section(
                "delinquent",
                "Delinquent loans",
                DELINQUENT_COLUMNS,
                delinquent_rows,
                {
                    "past_due": sum((r["past_due"] for r in delinquent_rows), ZERO),
                    "principal": sum((r["principal"] for r in delinquent_rows), ZERO),
                },
                loan_key="loan",
            ),
            Section(
                "actions",
                "Action taken on delinquent loans",
                ACTION_COLUMNS,
                Rows(_public_actions, actions),
                {},
                loan_key="loan",
            ),
            Section(
                "write_offs",
                "Write-offs",
                WRITE_OFF_COLUMNS,
                write_offs,
                _without_count(write_off_totals),
                loan_key="loan",
            ),
            Section(
                "claims",
                "State guarantee claims",
                CLAIM_COLUMNS,
                claims,
                _without_count(claim_totals),
                loan_key="loan",
            ),
        ]
        return ReportResult(
            figures=figures,
            summary=self._summary_lines(summary, figures),
            sections=sections,
        )

    def _summary(self, start: date, end: date) -> dict[str, Any]:
        loans = [LoanPrincipal(*row) for row in q.principal_by_loan(start, end)]
        check_reconciliation(loans)
        flows = q.received_in_period(start, end)
        return {
            "loans_start": sum(1 for loan in loans if loan.start > 0),
            "principal_start": sum((loan.start for loan in loans), ZERO),
            "disbursed": sum((loan.disbursed for loan in loans), ZERO),
            "principal_received": sum((loan.received for loan in loans), ZERO),
            "interest_received": flows["interest"],
            "fees_received": flows["fees"],
            "written_off": sum((loan.written_off for loan in loans), ZERO),
            "loans_end": sum(1 for loan in loans if loan.end > 0),
            "principal_end": sum((loan.end for loan in loans), ZERO),
            "reconciles": True,
        }

    def _delinquent(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        buckets: dict[str, dict[str, Any]] = {
            name: {"count": 0, "past_due": ZERO, "principal": ZERO} for name in BUCKETS
        }
        for row in rows:
            bucket = buckets[row["bucket"]]
            bucket["count"] += 1
            bucket["past_due"] += row["past_due"]
            bucket["principal"] += row["principal"]
        return {
            "count": len(rows),
            "past_due": money(sum((r["past_due"] for r in rows), ZERO)),
            "principal": money(sum((r["principal"] for r in rows), ZERO)),
            "buckets": {
                name: {
                    "count": b["count"],
                    "past_due": money(b["past_due"]),
                    "principal": money(b["principal"]),
                }
                for name, b in buckets.items()
            },
        }

    def _summary_lines(
        self, s: dict[str, Any], figures: dict[str, Any]
    ) -> list[tuple[str, Any, Any]]:
        reconciliation = (
            f"{format_money(s['principal_start'])} + {format_money(s['disbursed'])}"
            f" − {format_money(s['principal_received'])}"
            f" − {format_money(s['written_off'])}"
            f" = {format_money(s['principal_end'])}"
        )
        delinquent = figures["delinquent"]
        return [
            ("Loans outstanding at the start", s["loans_start"], "int"),
            ("Principal outstanding at the start", s["principal_start"], "money"),
            ("Principal disbursed", s["disbursed"], "money"),
            ("Principal received", s["principal_received"], "money"),
            ("Interest received", s["interest_received"], "money"),
            ("Fees received", s["fees_received"], "money"),
            ("Principal written off", s["written_off"], "money"),
            ("Loans outstanding at the end", s["loans_end"], "int"),
            ("Principal outstanding at the end", s["principal_end"], "money"),
            (
                "Reconciliation: principal at the start + disbursed − received "
                "− written off = principal at the end",
                reconciliation,
                "text",
            ),
            ("Delinquent loans at the end", delinquent["count"], "int"),
            ("Past-due amount at the end", Decimal(delinquent["past_due"]), "money"),
            ("Matured loans", figures["matured"]["count"], "int"),
            ("Collection actions", figures["actions"]["count"], "int"),
        ]


def _without_count(totals: dict[str, Any]) -> dict[str, Decimal | int]:
    return {key: value for key, value in totals.items() if key != "count"}


def _public_actions(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {key: value for key, value in row.items() if key != "type_key"}
