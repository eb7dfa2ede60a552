"""Aging reads: days past due and bucket for every open loan as of a date,
set-based (a few queries whatever the number of loans, never one replay per
loan), and the loans that can owe a new late fee.

As of today the loan row answers: `Loan.oldest_unpaid_due` is kept by the
engine with the schedule rows. For an earlier date it is derived from the
ledger: an installment due before the date is unpaid then when the payments
received by then allocated less to it than its amount. That equals the
engine's replay as of the date (`engine.position(loan, as_of)`) because

- a payment's allocation depends only on the payments and fees before it, so
  the current ledger's allocation of each payment received by the date is the
  one a replay up to the date makes (a reversed payment counts in neither;
  its entries and their reversals net to zero and its status is `reversed`);
- an installment's amount is fixed once it falls due: a prepayment
  re-amortizes only the installments not yet due when it is received, so the
  current schedule row of an installment due before the date has the amount
  it had on the date (tested against replays in tests/loans/test_aging_*).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.utils import timezone

from loans.choices import (
    OPEN_LOAN_STATUSES,
    EntryKind,
    FeeKind,
    LoanStatus,
    PaymentStatus,
)
from loans.models import AgingRun, Installment, LedgerEntry, Loan, LoanProduct, Payment
from loans.schedule import DPD_BUCKETS, ZERO, dpd_bucket
from portal.models import Customer

# Ledger kinds that move principal: lent (in), repaid or written off (out).
PRINCIPAL_IN = (EntryKind.DISBURSEMENT,)
PRINCIPAL_OUT = (EntryKind.PRINCIPAL_PAID, EntryKind.PREPAYMENT, EntryKind.WRITE_OFF)


@dataclass(frozen=True)
class LoanAge:
    """One loan as of a date."""

    loan_id: int
    status: str
    oldest_unpaid_due: date | None  # of the installments due before the date
    days_past_due: int
    bucket: str
    default_dpd: int


def aging_scope(as_of: date, *, written_off_later: bool = False) -> QuerySet[Loan]:
    """The loans aged as of a date: disbursed by then and still owing then
    (open now, or paid off after the date). `written_off_later` adds the
    loans written off after the date (a report of a past date lists them; the
    nightly job must not, it would move their status)."""
    owing = Q(status__in=OPEN_LOAN_STATUSES) | Q(
        status=LoanStatus.PAID_OFF, paid_off_on__gt=as_of
    )
    if written_off_later:
        owing |= Q(status=LoanStatus.WRITTEN_OFF, written_off_on__gt=as_of)
    return Loan.objects.filter(disbursed_on__lte=as_of).filter(owing)


def _is_today(as_of: date) -> bool:
    # No payment is ever received after today, so the row's cache is exact.
    return as_of >= timezone.localdate()


def aging_rows(as_of: date) -> list[LoanAge]:
    """Days past due and bucket of every loan in `aging_scope`. Two queries
    (one when `as_of` is today)."""
    rows = aging_scope(as_of).values_list(
        "pk", "status", "oldest_unpaid_due", "product__default_dpd"
    )
    if _is_today(as_of):
        oldest_of = None
    else:
        oldest_of = oldest_unpaid_due_as_of(as_of)
    result = []
    for pk, status, cached, default_dpd in rows.order_by("pk").iterator(
        chunk_size=5000
    ):
        oldest = cached if oldest_of is None else oldest_of.get(pk)
        if oldest is not None and oldest >= as_of:
            oldest = None  # not past due yet: current
        dpd = (as_of - oldest).days if oldest is not None else 0
        result.append(LoanAge(pk, status, oldest, dpd, dpd_bucket(dpd), default_dpd))
    return result


def bucket_counts(ages: list[LoanAge]) -> dict[str, int]:
    counts = dict.fromkeys(DPD_BUCKETS, 0)
    for age in ages:
        counts[age.bucket] += 1
    return counts


def aging_bucket_counts(as_of: date) -> dict[str, int]:
    """Loans per bucket as of a date. As of today one grouped query on the
    indexed `oldest_unpaid_due`; for an earlier date from `aging_rows`."""
    if not _is_today(as_of):
        return bucket_counts(aging_rows(as_of))
    whens = []
    for name, (low, high) in DPD_BUCKETS.items():
        if low == 0:
            continue
        condition = Q(oldest_unpaid_due__lte=as_of - timedelta(days=low))
        if high is not None:
            condition &= Q(oldest_unpaid_due__gte=as_of - timedelta(days=high))
        whens.append(When(condition, then=Value(name)))
    grouped = (
        aging_scope(as_of)
        .annotate(
            bucket=Case(*whens, default=Value("current"), output_field=CharField())
        )
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(DPD_BUCKETS, 0)
    for row in grouped:
        counts[row["bucket"]] = row["n"]
    return counts


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def _due_unpaid_sql(as_of: date, *, written_off_later: bool) -> tuple[str, list[Any]]:
    """SQL of a CTE `due`: per loan in `aging_scope`, the due date of its
    oldest installment due before `as_of` that the payments received by then
    had not fully paid, and the unpaid principal + interest (whole cents) of
    all such installments. The allocations by payments received by the date
    are summed per installment and compared with the installments' amounts
    in whole cents, so SQLite's floating decimals cannot tip it."""
    ledger, payment = _table(LedgerEntry), _table(Payment)
    installment, loan = _table(Installment), _table(Loan)
    open_statuses = ", ".join(["%s"] * len(OPEN_LOAN_STATUSES))
    later = " OR (l.status = %s AND l.written_off_on > %s)" if written_off_later else ""
    sql = f"""
        WITH paid AS (
            SELECT e.loan_id, e.installment_number AS number,
                   SUM(e.amount) AS amount
            FROM {ledger} e JOIN {payment} p ON p.id = e.payment_id
            WHERE e.kind IN (%s, %s) AND e.installment_number IS NOT NULL
              AND p.status = %s AND p.received_on <= %s
            GROUP BY e.loan_id, e.installment_number
        ),
        due AS (
            SELECT i.loan_id, MIN(i.due_date) AS oldest,
                   SUM(ROUND((i.principal + i.interest) * 100)
                       - COALESCE(ROUND(paid.amount * 100), 0)) AS cents
            FROM {installment} i
            JOIN {loan} l ON l.id = i.loan_id
            LEFT JOIN paid ON paid.loan_id = i.loan_id AND paid.number = i.number
            WHERE i.due_date < %s AND l.disbursed_on <= %s
              AND (l.status IN ({open_statuses})
                   OR (l.status = %s AND l.paid_off_on > %s){later})
              AND ROUND((i.principal + i.interest) * 100)
                  > COALESCE(ROUND(paid.amount * 100), 0)
            GROUP BY i.loan_id
        )
    """  # noqa: S608 - table names are ours, values are parameters
    params: list[Any] = [
        EntryKind.INTEREST_PAID,
        EntryKind.PRINCIPAL_PAID,
        PaymentStatus.POSTED,
        as_of,
        as_of,
        as_of,
        *OPEN_LOAN_STATUSES,
        LoanStatus.PAID_OFF,
        as_of,
    ]
    if written_off_later:
        params += [LoanStatus.WRITTEN_OFF, as_of]
    return sql, params


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def oldest_unpaid_due_as_of(as_of: date) -> dict[int, date]:
    """Loan id -> due date of its oldest installment due before `as_of` that
    the payments received by then had not fully paid (loans with none are
    left out). One query."""
    sql, params = _due_unpaid_sql(as_of, written_off_later=False)
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT loan_id, oldest FROM due", params)  # noqa: S608
        return {loan_id: _day(due) for loan_id, due in cursor.fetchall()}


@dataclass(frozen=True)
class PastDueLoan:
    """A loan past due as of a date, as a delinquency report lists it."""

    loan_id: int
    number: str
    customer: str
    product: str
    oldest_unpaid_due: date
    days_past_due: int
    bucket: str
    past_due: Decimal  # unpaid principal + interest of installments due before
    principal: Decimal  # principal outstanding then


@dataclass(frozen=True)
class Delinquency:
    """Every loan aged as of a date: those past due, one row each (by loan
    number), and the loans current then with their principal outstanding."""

    as_of: date
    past_due: list[PastDueLoan]
    current_count: int
    current_principal: Decimal


def _cents(value: Any) -> Decimal:
    return (Decimal(int(round(float(value or 0)))) / 100).quantize(Decimal("0.01"))


def principal_as_of(
    as_of: date, *, written_off_later: bool = False
) -> dict[int, Decimal]:
    """Loan id -> principal outstanding as of a date, for every loan in
    `aging_scope`: disbursed and written off by then, less principal paid
    by the payments received by then (as they are allocated now, like
    `oldest_unpaid_due_as_of`). One grouped query, summed in whole cents."""
    cents = Round(F("amount") * 100)
    rows = (
        LedgerEntry.objects.filter(
            loan__in=aging_scope(as_of, written_off_later=written_off_later),
            kind__in=[*PRINCIPAL_IN, *PRINCIPAL_OUT],
        )
        .filter(
            Q(payment__isnull=True, effective_on__lte=as_of)
            | Q(payment__status=PaymentStatus.POSTED, payment__received_on__lte=as_of)
        )
        .order_by()
        .values("loan_id")
        .annotate(
            cents=Sum(
                Case(
                    When(kind__in=PRINCIPAL_IN, then=cents),
                    default=-cents,
                    output_field=IntegerField(),
                )
            )
        )
    )
    return {row["loan_id"]: _cents(row["cents"]) for row in rows}


def delinquency_as_of(as_of: date) -> Delinquency:
    """Every loan in `aging_scope` (loans written off after the date
    included) as of a date, counting only payments received by then: the
    ones past due with their days past due, bucket, past-due amount and
    principal; how many are current and their principal. Three queries,
    whatever the number of loans (never one replay per loan)."""
    sql, params = _due_unpaid_sql(as_of, written_off_later=True)
    customer, product = _table(Customer), _table(LoanProduct)
    loan = _table(Loan)
    select = f"""
        SELECT due.loan_id, l.number, c.kind, c.first_name, c.last_name,
               c.business_name, pr.code, due.oldest, due.cents
        FROM due
        JOIN {loan} l ON l.id = due.loan_id
        JOIN {customer} c ON c.id = l.customer_id
        JOIN {product} pr ON pr.id = l.product_id
        ORDER BY l.number
    """  # noqa: S608 - table names are ours
    principal = principal_as_of(as_of, written_off_later=True)
    rows: list[PastDueLoan] = []
    with connection.cursor() as cursor:
        cursor.execute(sql + select, params)
        for pk, number, kind, first, last, business, code, oldest, cents in cursor:
            oldest = _day(oldest)
            dpd = (as_of - oldest).days
            name = Customer(
                kind=kind, first_name=first, last_name=last, business_name=business
            ).display_name
            rows.append(
                PastDueLoan(
                    loan_id=pk,
                    number=number,
                    customer=name,
                    product=code,
                    oldest_unpaid_due=oldest,
                    days_past_due=dpd,
                    bucket=dpd_bucket(dpd),
                    past_due=_cents(cents),
                    principal=principal.get(pk, ZERO),
                )
            )
    late = {row.loan_id for row in rows}
    current = [value for pk, value in principal.items() if pk not in late]
    in_scope = aging_scope(as_of, written_off_later=True).count()
    return Delinquency(
        as_of=as_of,
        past_due=rows,
        current_count=in_scope - len(rows),
        current_principal=sum(current, ZERO),
    )


def matured_with_balance(as_of: date, past_due: set[int]) -> set[int]:
    """Of the loans past due as of a date, those past their final due date:
    no installment left due on or after it. One query."""
    if not past_due:
        return set()
    later = Installment.objects.filter(loan=OuterRef("pk"), due_date__gte=as_of)
    finished = (
        aging_scope(as_of)
        .filter(oldest_unpaid_due__isnull=False)
        .exclude(Exists(later))
        .values_list("pk", flat=True)
    )
    return set(finished) & past_due


def _grace_end_sql(due: str, grace: str) -> str:
    """SQL for due date + grace days (a date), per database."""
    if connection.vendor == "postgresql":
        return f"({due} + {grace})"
    return f"date({due}, '+' || {grace} || ' days')"


def late_fee_candidates(
    as_of: date, *, since: tuple[date, datetime] | None = None
) -> list[int]:
    """Open loans that may owe a new late fee as of a date (a superset; the
    rule itself, loans.services.late_fees, judges each under its lock).

    A fee is owed for an installment whose grace period ended before the
    date, not yet charged, and not fully paid by its grace end in the
    fee-free replay. Fee-free, every payment reaches the installments with at
    least as much as in the ledger (where fees are paid first), so such an
    installment was not fully paid by its grace end in the ledger either:
    it is unpaid now, or a payment received after its grace end paid part
    of it. Two set-based queries over the schedule rows and the ledger.

    `since` = (as-of date, start time) of the last finished run for a date on
    or before `as_of`. That run judged every installment whose grace ended
    before its date, so only two kinds of loan can owe a fee it did not
    charge: those with an installment whose grace ended on or after its date,
    and loans booked or whose ledger changed after it started (a reversal
    can make an old installment late; a booking brings old installments). Without it
    every installment past its grace end is looked at, and on a portfolio
    with years of history that is thousands of loans re-judged every night."""
    ledger, installment = _table(LedgerEntry), _table(Installment)
    loan, product = _table(Loan), _table(LoanProduct)
    grace_end = _grace_end_sql("i.due_date", "pr.late_fee_grace_days")
    open_statuses = ", ".join(["%s"] * len(OPEN_LOAN_STATUSES))
    common = f"""
        JOIN {loan} l ON l.id = i.loan_id
        JOIN {product} pr ON pr.id = l.product_id
        WHERE l.status IN ({open_statuses}) AND pr.late_fee > 0
          AND {grace_end} < %s
          AND NOT EXISTS (
              SELECT 1 FROM {ledger} f
              WHERE f.loan_id = i.loan_id AND f.installment_number = i.number
                AND f.kind = %s AND f.fee_kind = %s AND f.reverses_id IS NULL)
    """  # noqa: S608 - table names are ours, values are parameters
    common_params: list[Any] = [
        *OPEN_LOAN_STATUSES,
        as_of,
        EntryKind.FEE_ASSESSED,
        FeeKind.LATE,
    ]
    if since is not None:
        common += f" AND {grace_end} >= %s"
        common_params.append(since[0])
    unpaid_now = f"""
        SELECT DISTINCT i.loan_id FROM {installment} i {common}
          AND (i.principal_paid < i.principal OR i.interest_paid < i.interest)
    """  # noqa: S608
    paid_after_grace = f"""
        SELECT DISTINCT i.loan_id FROM {ledger} e
        JOIN {installment} i
          ON i.loan_id = e.loan_id AND i.number = e.installment_number
        {common}
          AND e.kind IN (%s, %s) AND e.amount > 0
          AND e.effective_on > {grace_end}
    """  # noqa: S608
    found: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(unpaid_now, common_params)
        found.update(row[0] for row in cursor.fetchall())
        cursor.execute(
            paid_after_grace,
            [*common_params, EntryKind.INTEREST_PAID, EntryKind.PRINCIPAL_PAID],
        )
        found.update(row[0] for row in cursor.fetchall())
        if since is not None:
            # Loans booked since, and loans whose ledger changed since (the
            # time as the database stores it: SQLite compares text).
            started = connection.ops.adapt_datetimefield_value(since[1])
            cursor.execute(
                f"""SELECT l.id FROM {loan} l
                    JOIN {product} pr ON pr.id = l.product_id
                    WHERE pr.late_fee > 0 AND l.status IN ({open_statuses})
                      AND (l.created_at >= %s OR EXISTS (
                          SELECT 1 FROM {ledger} e
                          WHERE e.loan_id = l.id AND e.posted_at >= %s))""",  # noqa: S608
                [*OPEN_LOAN_STATUSES, started, started],
            )
            found.update(row[0] for row in cursor.fetchall())
    return sorted(found)


def latest_aging_run() -> AgingRun | None:
    return (
        AgingRun.objects.filter(finished_at__isnull=False)
        .order_by("-as_of", "-started_at")
        .first()
    )


def aging_runs() -> QuerySet[AgingRun]:
    return AgingRun.objects.select_related("started_by").order_by("-started_at")
