"""Writing planned loans in bulk: COPY on PostgreSQL, executemany elsewhere.

Rows are built as {column: value} from the models' own fields (columns not
given take the field's default), so a column added by a later migration with
a default is filled, and one without a default fails loudly. Ids of the rows
that others point at (customers, properties, accounts, loans, payments,
ledger entries) are reserved up front as one block per table and chunk;
installments and history rows take the database's own.

History: each customer, property, account and loan gets its creation row
("+", the acting user, the run's reason), so its audit page says where it came
from. Installments, payments and ledger entries get none: about 15 rows of
them per payment would double what is written, the ledger is itself the
append-only record, and the loan's history row dates the whole set.

The immutability triggers on the ledger refuse UPDATE and DELETE only; these
are INSERTs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from loans.choices import PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.portfolio.plan import NSF_NOTE, PlannedLoan
from portal.models import Customer, Property, UtilityAccount

# Serialises id reservations between generator processes (any constant).
_ID_LOCK = 7_202_611


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


_TEXT: dict[type, Callable[[Any], str]] = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    Decimal: str,
    date: date.isoformat,
    datetime: datetime.isoformat,
    str: _escape,
}


class Table:
    """One table's columns and the defaults of those a row does not give."""

    def __init__(self, model: type[models.Model], *, with_id: bool = True) -> None:
        self.name = model._meta.db_table
        fields = [
            f
            for f in model._meta.concrete_fields
            if with_id or not f.primary_key  # type: ignore[attr-defined]
        ]
        self.columns = [f.column for f in fields]
        self.defaults: dict[str, Any] = {}
        for f in fields:
            if f.primary_key:
                continue
            default = f.get_default()
            if hasattr(default, "amount"):  # djmoney's Money
                default = default.amount
            self.defaults[f.column] = default

    def tuples(self, rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        columns, defaults = self.columns, self.defaults
        return [
            tuple(row[c] if c in row else defaults[c] for c in columns) for row in rows
        ]

    def write(self, rows: Sequence[dict[str, Any]]) -> int:
        if not rows:
            return 0
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.name)
        tuples = self.tuples(rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                text = "".join(
                    "\t".join([_TEXT[type(v)](v) for v in row]) + "\n" for row in tuples
                )
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    copy.write(text)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                adapt = connection.ops.adapt_datetimefield_value
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - our tables
                    [
                        tuple(adapt(v) if isinstance(v, datetime) else v for v in row)
                        for row in tuples
                    ],
                )
        return len(rows)


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive unused ids for the model's table."""
    if count == 0:
        return 0
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            return int(cursor.fetchone()[0]) - count + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


@dataclass
class Written:
    loans: int = 0
    payments: int = 0
    entries: int = 0
    installments: int = 0


class Tables:
    """The tables a chunk writes, looked up once per process."""

    def __init__(self) -> None:
        self.customer = Table(Customer)
        self.property = Table(Property)
        self.owners = Table(Property.owners.through, with_id=False)
        self.account = Table(UtilityAccount)
        self.loan = Table(Loan)
        self.installment = Table(Installment, with_id=False)
        self.payment = Table(Payment)
        self.entry = Table(LedgerEntry)
        self.history = {
            model: Table(model.history.model, with_id=False)  # type: ignore[attr-defined]
            for model in (Customer, Property, UtilityAccount, Loan)
        }


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_default_timezone())


def write_chunk(
    plans: Sequence[PlannedLoan],
    *,
    tables: Tables,
    seed: int,
    actor_id: int,
    reason: str,
) -> Written:
    """Insert the planned loans and everything under them, all or nothing."""
    now = timezone.now()
    n = len(plans)
    with transaction.atomic():
        blocks = _reserve(
            {
                Customer: n,
                Property: n,
                UtilityAccount: n,
                Loan: n,
                Payment: sum(len(p.payments) for p in plans),
                LedgerEntry: sum(len(p.entries) for p in plans),
            }
        )
        rows: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in (
                "customer",
                "property",
                "owners",
                "account",
                "loan",
                "installment",
                "payment",
                "entry",
            )
        }
        payment_id, entry_id = blocks[Payment], blocks[LedgerEntry]
        for i, plan in enumerate(plans):
            customer_id = blocks[Customer] + i
            property_id = blocks[Property] + i
            account_id = blocks[UtilityAccount] + i
            loan_id = blocks[Loan] + i
            line1, city, state, postal = plan.address
            address = {
                "line1": line1,
                "city": city,
                "state": state,
                "postal_code": postal,
            }
            rows["customer"].append(
                {
                    "id": customer_id,
                    "first_name": plan.first_name,
                    "last_name": plan.last_name,
                    "email": plan.email,
                    "mailing_line1": line1,
                    "mailing_city": city,
                    "mailing_state": state,
                    "mailing_postal_code": postal,
                    "created_at": now,
                }
            )
            rows["property"].append(
                {
                    "id": property_id,
                    "parcel_id": f"GEN-{seed}-{plan.index:06d}",
                    **address,
                }
            )
            rows["owners"].append(
                {"property_id": property_id, "customer_id": customer_id}
            )
            rows["account"].append(
                {
                    "id": account_id,
                    "number": f"G{seed:03d}{plan.index:07d}",
                    "customer_id": customer_id,
                    "service_property_id": property_id,
                    "has_electric": True,
                    "has_water": True,
                    "opened_on": plan.loan.disbursed_on,
                    **address,
                }
            )
            loan = plan.loan
            rows["loan"].append(
                {
                    "id": loan_id,
                    "number": plan.number,
                    "customer_id": customer_id,
                    "account_id": account_id,
                    "parcel_id": property_id,
                    "product_id": plan.product.pk,
                    "principal": loan.principal,
                    "annual_rate": loan.annual_rate,
                    "term_months": loan.term_months,
                    "installment_amount": loan.installment_amount,
                    "first_due_date": loan.first_due_date,
                    "disbursed_on": loan.disbursed_on,
                    "status": loan.status,
                    "lien_required": loan.lien_required,
                    "paid_off_on": loan.paid_off_on,
                    "created_at": now,
                    "oldest_unpaid_due": loan.oldest_unpaid_due,
                    "principal_outstanding": loan.principal_outstanding,
                }
            )
            for s in plan.installments:
                rows["installment"].append(
                    {
                        "loan_id": loan_id,
                        "number": s.number,
                        "due_date": s.due_date,
                        "principal": s.principal_due,
                        "interest": s.interest_due,
                        "principal_paid": s.principal_paid,
                        "interest_paid": s.interest_paid,
                    }
                )
            first_payment = payment_id
            for p in plan.payments:
                row = {
                    "id": payment_id,
                    "loan_id": loan_id,
                    "reference": p.reference,
                    "amount": p.amount,
                    "received_on": p.received_on,
                    "method": p.method,
                    "status": PaymentStatus.POSTED,
                    "batch_id": None,
                    "posted_at": _noon(p.received_on),
                    "posted_by_id": actor_id,
                }
                if p.reversed_on is not None:
                    row.update(
                        status=PaymentStatus.REVERSED,
                        reversed_at=_noon(p.reversed_on),
                        reversed_by_id=actor_id,
                        reversal_reason=ReversalReason.NSF,
                        reversal_note=NSF_NOTE,
                    )
                rows["payment"].append(row)
                payment_id += 1
            ids: dict[int, int] = {}
            for e in plan.entries:
                ids[id(e)] = entry_id
                rows["entry"].append(
                    {
                        "id": entry_id,
                        "loan_id": loan_id,
                        "payment_id": None
                        if e.payment is None
                        else first_payment + e.payment,
                        "kind": e.kind,
                        "fee_kind": e.fee_kind,
                        "installment_number": e.installment_number,
                        "amount": e.amount,
                        "effective_on": e.effective_on,
                        "posted_at": _noon(e.effective_on),
                        "posted_by_id": actor_id,
                        "reverses_id": None
                        if e.reverses is None
                        else ids[id(e.reverses)],
                        "memo": e.memo,
                    }
                )
                entry_id += 1
        history = {
            "history_date": now,
            "history_change_reason": reason,
            "history_type": "+",
            "history_user_id": actor_id,
        }
        for key, model, table in (
            ("customer", Customer, tables.customer),
            ("property", Property, tables.property),
            ("account", UtilityAccount, tables.account),
            ("loan", Loan, tables.loan),
        ):
            table.write(rows[key])
            tables.history[model].write(
                [{**table.defaults, **row, **history} for row in rows[key]]
            )
            if key == "property":
                tables.owners.write(rows["owners"])
        return Written(
            loans=n,
            installments=tables.installment.write(rows["installment"]),
            payments=tables.payment.write(rows["payment"]),
            entries=tables.entry.write(rows["entry"]),
        )


def _reserve(counts: dict[type[models.Model], int]) -> dict[type[models.Model], int]:
    if connection.vendor != "postgresql":
        # SQLite: the write transaction holds the whole database.
        return {model: reserve_ids(model, count) for model, count in counts.items()}
    # nextval-then-setval is two steps: two processes reserving at once would
    # overlap, so reservations take turns (a session lock, held only for them;
    # sequences are not transactional, so a rolled-back chunk leaves a gap).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_ID_LOCK])
        try:
            return {model: reserve_ids(model, count) for model, count in counts.items()}
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_ID_LOCK])
