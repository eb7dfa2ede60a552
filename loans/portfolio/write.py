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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from loans.choices import PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.portfolio.plan import NSF_NOTE, PlannedLoan
from portal.models import Customer, Property, UtilityAccount

# Serialises id reservations between generator processes (any constant).
_ID_LOCK = 7_202_611


def _plain(value: Any) -> Any:
    """Choices enums as their plain value (psycopg would dump an Enum's name),
    djmoney's Money as its amount."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if hasattr(value, "amount") and hasattr(value, "currency"):
        return value.amount
    return value


class Table:
    """One table written in bulk. A row is a tuple of the `given` columns in
    that order; every other column takes its field's default (COPY names its
    columns, so their order is ours)."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        self.name = model._meta.db_table
        known = {str(f.column) for f in model._meta.concrete_fields}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ValueError(f"{self.name} has no columns {unknown}")
        others = [
            f
            for f in model._meta.concrete_fields
            if f.column not in given and not f.primary_key
        ]
        self.given = tuple(given)
        self.columns = [*given, *(str(f.column) for f in others)]
        self.tail = tuple(_plain(f.get_default()) for f in others)

    def default(self, column: str) -> Any:
        return self.tail[self.columns.index(column) - len(self.given)]

    def write(self, rows: Sequence[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.name)
        tail = self.tail
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                adapt = connection.ops.adapt_datetimefield_value
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - our tables
                    [
                        tuple(
                            adapt(v) if isinstance(v, datetime) else v
                            for v in row + tail
                        )
                        for row in rows
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


CUSTOMER = (
    "id",
    "first_name",
    "last_name",
    "email",
    "mailing_line1",
    "mailing_city",
    "mailing_state",
    "mailing_postal_code",
    "created_at",
)
PROPERTY = ("id", "parcel_id", "line1", "city", "state", "postal_code")
ACCOUNT = (
    "id",
    "number",
    "customer_id",
    "service_property_id",
    "has_electric",
    "has_water",
    "opened_on",
    "line1",
    "city",
    "state",
    "postal_code",
)
LOAN = (
    "id",
    "number",
    "customer_id",
    "account_id",
    "parcel_id",
    "product_id",
    "principal",
    "annual_rate",
    "term_months",
    "installment_amount",
    "first_due_date",
    "disbursed_on",
    "status",
    "lien_required",
    "paid_off_on",
    "created_at",
    "oldest_unpaid_due",
    "principal_outstanding",
)
INSTALLMENT = (
    "loan_id",
    "number",
    "due_date",
    "principal",
    "interest",
    "principal_paid",
    "interest_paid",
)
PAYMENT = (
    "id",
    "loan_id",
    "reference",
    "amount",
    "received_on",
    "method",
    "status",
    "posted_at",
    "posted_by_id",
    "reversed_at",
    "reversed_by_id",
    "reversal_reason",
    "reversal_note",
)
ENTRY = (
    "id",
    "loan_id",
    "payment_id",
    "kind",
    "fee_kind",
    "installment_number",
    "amount",
    "effective_on",
    "posted_at",
    "posted_by_id",
    "reverses_id",
    "memo",
)
HISTORY = ("history_date", "history_change_reason", "history_type", "history_user_id")


class Tables:
    """The tables a chunk writes, looked up once per process."""

    def __init__(self) -> None:
        self.customer = Table(Customer, CUSTOMER)
        self.property = Table(Property, PROPERTY)
        self.owners = Table(Property.owners.through, ("property_id", "customer_id"))
        self.account = Table(UtilityAccount, ACCOUNT)
        self.loan = Table(Loan, LOAN)
        self.installment = Table(Installment, INSTALLMENT)
        self.payment = Table(Payment, PAYMENT)
        self.entry = Table(LedgerEntry, ENTRY)
        # A history row is the record's row (its defaults included) and who,
        # when and why.
        self.history = [
            (
                table,
                Table(
                    model.history.model,
                    (*table.columns, *HISTORY),
                ),
            )
            for model, table in (
                (Customer, self.customer),
                (Property, self.property),
                (UtilityAccount, self.account),
                (Loan, self.loan),
            )
        ]


class _Noon(dict[date, datetime]):
    """Noon of a day in the project's time zone (when generated money moved)."""

    def __missing__(self, day: date) -> datetime:
        self[day] = value = datetime.combine(
            day, time(12), tzinfo=timezone.get_default_timezone()
        )
        return value


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
    noon = _Noon()
    n = len(plans)
    posted, reversed_ = str(PaymentStatus.POSTED), str(PaymentStatus.REVERSED)
    nsf = str(ReversalReason.NSF)
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
        customers: list[tuple[Any, ...]] = []
        properties: list[tuple[Any, ...]] = []
        owners: list[tuple[Any, ...]] = []
        accounts: list[tuple[Any, ...]] = []
        loans: list[tuple[Any, ...]] = []
        installments: list[tuple[Any, ...]] = []
        payments: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        payment_id, entry_id = blocks[Payment], blocks[LedgerEntry]
        for i, plan in enumerate(plans):
            customer_id = blocks[Customer] + i
            property_id = blocks[Property] + i
            account_id = blocks[UtilityAccount] + i
            loan_id = blocks[Loan] + i
            line1, city, state, postal = plan.address
            loan = plan.loan
            customers.append(
                (
                    customer_id,
                    plan.first_name,
                    plan.last_name,
                    plan.email,
                    line1,
                    city,
                    state,
                    postal,
                    now,
                )
            )
            properties.append(
                (
                    property_id,
                    f"GEN-{seed}-{plan.index:06d}",
                    line1,
                    city,
                    state,
                    postal,
                )
            )
            owners.append((property_id, customer_id))
            accounts.append(
                (
                    account_id,
                    f"G{seed:03d}{plan.index:07d}",
                    customer_id,
                    property_id,
                    True,
                    True,
                    loan.disbursed_on,
                    line1,
                    city,
                    state,
                    postal,
                )
            )
            loans.append(
                (
                    loan_id,
                    plan.number,
                    customer_id,
                    account_id,
                    property_id,
                    plan.product.pk,
                    loan.principal,
                    loan.annual_rate,
                    loan.term_months,
                    loan.installment_amount,
                    loan.first_due_date,
                    loan.disbursed_on,
                    str.__str__(loan.status),
                    loan.lien_required,
                    loan.paid_off_on,
                    now,
                    loan.oldest_unpaid_due,
                    loan.principal_outstanding,
                )
            )
            installments.extend(
                (
                    loan_id,
                    s.number,
                    s.due_date,
                    s.principal_due,
                    s.interest_due,
                    s.principal_paid,
                    s.interest_paid,
                )
                for s in plan.installments
            )
            first_payment = payment_id
            for p in plan.payments:
                if p.reversed_on is None:
                    tail: tuple[Any, ...] = (posted, None, None, "", "")
                else:
                    tail = (reversed_, noon[p.reversed_on], actor_id, nsf, NSF_NOTE)
                payments.append(
                    (
                        payment_id,
                        loan_id,
                        p.reference,
                        p.amount,
                        p.received_on,
                        p.method,
                        tail[0],
                        noon[p.received_on],
                        actor_id,
                        *tail[1:],
                    )
                )
                payment_id += 1
            ids: dict[int, int] = {}
            for e in plan.entries:
                ids[id(e)] = entry_id
                entries.append(
                    (
                        entry_id,
                        loan_id,
                        None if e.payment is None else first_payment + e.payment,
                        str.__str__(e.kind),
                        str.__str__(e.fee_kind),
                        e.installment_number,
                        e.amount,
                        e.effective_on,
                        noon[e.effective_on],
                        actor_id,
                        None if e.reverses is None else ids[id(e.reverses)],
                        e.memo,
                    )
                )
                entry_id += 1
        tables.customer.write(customers)
        tables.property.write(properties)
        tables.owners.write(owners)
        tables.account.write(accounts)
        tables.loan.write(loans)
        who = (now, reason, "+", actor_id)
        for base, history in tables.history:
            rows = {
                id(tables.customer): customers,
                id(tables.property): properties,
                id(tables.account): accounts,
                id(tables.loan): loans,
            }[id(base)]
            history.write([row + base.tail + who for row in rows])
        return Written(
            loans=n,
            installments=tables.installment.write(installments),
            payments=tables.payment.write(payments),
            entries=tables.entry.write(entries),
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
