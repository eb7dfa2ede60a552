"""Reads for loans: positions as of a date, schedules, lists and ledgers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from django.db.models import Q, QuerySet, Sum

from loans import engine
from loans.choices import (
    OPEN_LOAN_STATUSES,
    EntryKind,
    LoanStatus,
    PaymentStatus,
    ReversalReason,
)
from loans.models import (
    Installment,
    LedgerEntry,
    Loan,
    LoanApplication,
    LoanDayCount,
    Payment,
    PaymentBatch,
)
from loans.schedule import DPD_BUCKETS, ZERO, dpd_bucket
from portal.models import BillingPeriod
from portal.selectors import WorkflowStep, by_workflow_step

# --- positions, schedules and ledgers (engine) ---


@dataclass(frozen=True)
class LoanSummary:
    as_of: date
    maturity_date: date
    next_due_date: date | None
    days_past_due: int
    dpd_bucket: str
    balance: dict[str, Decimal]


def loan_summary(loan: Loan, as_of: date) -> LoanSummary:
    """The loan as of a date, counting only payments received by then.

    balance.principal is all principal not yet paid (due or not); interest is
    the unpaid interest of installments due on or before as_of; fees unpaid.
    """
    if loan.disbursed_on is None or as_of < loan.disbursed_on:
        state = engine.replay(loan, [], [], as_of)
        dpd = 0
        principal = loan.principal if loan.disbursed_on else ZERO
        balance = {"principal": principal, "interest": ZERO, "fees": ZERO}
    else:
        state = engine.position(loan, as_of)
        dpd = state.days_past_due(as_of)
        balance = {
            "principal": state.principal_outstanding,
            "interest": state.interest_due(as_of),
            "fees": state.unpaid_fees,
        }
    if loan.written_off_on and as_of >= loan.written_off_on:
        # The write-off took the whole balance off the books on that day
        # (loans.services.writeoffs); what is recovered later is not owed.
        balance = {"principal": ZERO, "interest": ZERO, "fees": ZERO}
    balance["total"] = sum(balance.values(), ZERO)
    return LoanSummary(
        as_of=as_of,
        maturity_date=state.maturity_date(loan),
        next_due_date=state.next_due_date(),
        days_past_due=dpd,
        dpd_bucket=dpd_bucket(dpd),
        balance=balance,
    )


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    fees_paid: Decimal
    status: str


def installment_status(row: Installment, today: date) -> str:
    if row.is_paid():
        return "paid"
    if row.due_date < today:
        return "past_due"
    if row.due_date == today:
        return "due"
    if row.principal_paid or row.interest_paid:
        return "partially_paid"
    return "scheduled"


def schedule_rows(
    loan: Loan,
    today: date,
    *,
    installments: list[Installment] | None = None,
    entries: list[LedgerEntry] | None = None,
) -> list[ScheduleRow]:
    """The current schedule (after any re-amortization) with what was paid.
    A page that has already read the loan's installments (in number order)
    and its whole ledger passes them instead of reading them again."""
    if installments is None:
        installments = list(Installment.objects.filter(loan=loan).order_by("number"))
    rows = installments
    fees = (
        _fees_paid_by_installment(loan) if entries is None else _fees_paid_in(entries)
    )
    remaining = sum((r.principal for r in rows), ZERO)
    result = []
    for row in rows:
        remaining -= row.principal
        result.append(
            ScheduleRow(
                number=row.number,
                due_date=row.due_date,
                amount=row.amount,
                principal=row.principal,
                interest=row.interest,
                balance_after=remaining,
                principal_paid=row.principal_paid,
                interest_paid=row.interest_paid,
                fees_paid=fees.get(row.number, ZERO),
                status=installment_status(row, today),
            )
        )
    return result


def _fees_paid_by_installment(loan: Loan) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    rows = LedgerEntry.objects.filter(
        loan=loan, kind=EntryKind.FEE_PAID, installment_number__isnull=False
    ).values_list("installment_number", "amount")
    for number, amount in rows:
        if number is not None:  # the filter excludes it; this tells mypy
            totals[number] = totals.get(number, ZERO) + amount
    return totals


def _fees_paid_in(entries: list[LedgerEntry]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for e in entries:
        if e.kind == EntryKind.FEE_PAID and e.installment_number is not None:
            number = e.installment_number
            totals[number] = totals.get(number, ZERO) + e.amount
    return totals


def loan_page_summary(
    loan: Loan,
    as_of: date,
    *,
    installments: list[Installment],
    entries: list[LedgerEntry],
    payments: list[Payment],
) -> LoanSummary:
    """`loan_summary` for the loan's page, from what the page has already
    read (its installment rows, whole ledger and payments) instead of a
    replay of the engine.

    The installment rows are the engine's cache of the full replay (kept
    equal to it by every posting, reversal and fee: tests/loans/
    test_ledger_equals_cache.py), and the ledger's fee lines net out their
    reversals. That full replay equals the replay as of `as_of` when no fact
    is dated after it, which is the page's case (as_of is today). Otherwise
    (a payment received or a fee effective after as_of), for a written-off
    loan (its recoveries are not on the schedule), before disbursement or
    without rows, it replays as before."""
    future = any(
        p.status == PaymentStatus.POSTED and p.received_on > as_of for p in payments
    ) or any(
        e.kind == EntryKind.FEE_ASSESSED and e.effective_on > as_of for e in entries
    )
    if (
        future
        or not installments
        or loan.disbursed_on is None
        or as_of < loan.disbursed_on
        or loan.status == LoanStatus.WRITTEN_OFF
        or loan.written_off_on is not None
    ):
        return loan_summary(loan, as_of)
    fees = ZERO
    for e in entries:
        if e.kind == EntryKind.FEE_ASSESSED:
            fees += e.amount
        elif e.kind == EntryKind.FEE_PAID:
            fees -= e.amount
    unpaid = [row.due_date for row in installments if not row.is_paid()]
    oldest = min(unpaid) if unpaid else None
    dpd = days_past_due_from(oldest, as_of)
    balance = {
        "principal": sum(
            (row.principal - row.principal_paid for row in installments), ZERO
        ),
        "interest": sum(
            (
                row.interest - row.interest_paid
                for row in installments
                if row.due_date <= as_of
            ),
            ZERO,
        ),
        "fees": fees,
    }
    balance["total"] = sum(balance.values(), ZERO)
    return LoanSummary(
        as_of=as_of,
        maturity_date=max(row.due_date for row in installments),
        next_due_date=oldest,
        days_past_due=dpd,
        dpd_bucket=dpd_bucket(dpd),
        balance=balance,
    )


def ledger_balances(loan: Loan) -> dict[str, Decimal]:
    """Balances straight from the ledger (sums in Python: exact on SQLite too)."""
    sums: dict[str, Decimal] = {}
    for kind, amount in LedgerEntry.objects.filter(loan=loan).values_list(
        "kind", "amount"
    ):
        sums[kind] = sums.get(kind, ZERO) + amount

    def get(kind: str) -> Decimal:
        return sums.get(kind, ZERO)

    return {
        "principal": get(EntryKind.DISBURSEMENT)
        - get(EntryKind.PRINCIPAL_PAID)
        - get(EntryKind.PREPAYMENT)
        - get(EntryKind.WRITE_OFF),
        "fees": get(EntryKind.FEE_ASSESSED)
        - get(EntryKind.FEE_PAID)
        - get(EntryKind.WRITE_OFF_FEES),
        "interest_paid": get(EntryKind.INTEREST_PAID),
        "unapplied": get(EntryKind.UNAPPLIED),
    }


def bad_check_ledger() -> QuerySet[Payment]:
    """Every returned payment (NSF, returned ACH/card), newest first."""
    return (
        Payment.objects.filter(
            status=PaymentStatus.REVERSED,
            reversal_reason__in=[ReversalReason.NSF, ReversalReason.RETURNED],
        )
        .select_related("loan", "loan__customer", "reversed_by")
        .order_by("-reversed_at", "-pk")
    )


# --- lists with delinquency (back office, reports) ---


LoansWithDpd: TypeAlias = "QuerySet[Loan]"


def loan_list_with_dpd(as_of: date) -> LoansWithDpd:
    """Loans with what their DPD needs on the row: `oldest_unpaid_due`, kept
    by the engine with the schedule rows (indexed; no subquery over the
    installments). DPD = as_of − oldest_unpaid_due when past. `as_of` is
    kept for callers; the filter takes its own."""
    return Loan.objects.select_related("product", "customer", "officer")


def filter_by_dpd_bucket(loans: LoansWithDpd, bucket: str, as_of: date) -> LoansWithDpd:
    """Narrow a loan list to one DPD bucket, on the indexed oldest_unpaid_due."""
    return loans.filter(dpd_bucket_q(bucket, as_of, "oldest_unpaid_due"))


def dpd_bucket_q(bucket: str, as_of: date, field: str) -> Q:
    """The rows whose oldest unpaid due date (`field`) puts them in the DPD
    bucket on `as_of`: the loans themselves, or their counts by that date."""
    from datetime import timedelta

    low, high = DPD_BUCKETS[bucket]
    if low == 0:  # current: nothing unpaid, or the oldest not yet past due
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": as_of})
    where = Q(**{f"{field}__lte": as_of - timedelta(days=low)})
    if high is not None:
        where &= Q(**{f"{field}__gte": as_of - timedelta(days=high)})
    return where


def loans_counted(bucket: str | None, as_of: date) -> int:
    """How many loans there are (in a DPD bucket on `as_of`, or all), from
    their counts by oldest unpaid due date (loans.models.counts): the same
    figure as counting the loans, without reading each one."""
    rows = LoanDayCount.objects.all()
    if bucket is not None:
        rows = rows.filter(dpd_bucket_q(bucket, as_of, "day"))
    return int(rows.aggregate(n=Sum("loans"))["n"] or 0)


def days_past_due_from(oldest_unpaid_due: date | None, as_of: date) -> int:
    if oldest_unpaid_due is None:
        return 0
    return max((as_of - oldest_unpaid_due).days, 0)


# --- applications (underwriting) ---


@dataclass(frozen=True)
class UnderwritingFacts:
    billing_months: list[BillingPeriod]  # the last 12 BillingPeriod rows, newest first
    late_months: int
    delinquent_balance: Decimal
    turned_to_bad_debt: bool
    owner_matches: bool | None  # None when no property is named
    amount_within_limits: bool
    term_within_limit: bool
    lien_required: bool


def underwriting_facts(application: LoanApplication) -> UnderwritingFacts:
    """What a reviewer needs to decide: payment history, delinquency, bad debt,
    ownership of the property, and the request against the product's limits."""
    product = application.product
    account = application.account
    months = list(account.billing_periods.order_by("-period_start")[:12])
    amount = (application.approved_amount or application.requested_amount).amount
    owner = None
    if application.parcel is not None:
        owner = application.parcel.owners.filter(pk=application.customer_id).exists()
    threshold = product.lien_required_above
    return UnderwritingFacts(
        billing_months=months,
        late_months=sum(1 for m in months if m.paid_late),
        delinquent_balance=account.delinquent_balance.amount,
        turned_to_bad_debt=account.turned_to_bad_debt,
        owner_matches=owner,
        amount_within_limits=product.min_amount.amount
        <= amount
        <= product.max_amount.amount,
        term_within_limit=application.requested_term_months <= product.max_term_months,
        lien_required=bool(threshold and amount > threshold.amount),
    )


# --- the back office's dashboard and record pages ---
# (A fixed number of queries each, however many applications, loans or
# payments there are.)


# One step of the loan application workflow (portal.selectors.by_workflow_step).
ApplicationStep = WorkflowStep


@dataclass(frozen=True)
class ApplicationQueue:
    count: int
    total: Decimal  # of the requested amounts
    applications: list[LoanApplication]


def open_application_statuses() -> list[str]:
    from loans.choices import ApplicationStatus as S

    return [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFORMATION]


def my_open_applications(
    user: object, *, per_step: int = 10
) -> list[WorkflowStep[LoanApplication]]:
    """The open applications a user prepared or is the officer of, by step
    (in workflow order, steps with none left out), the oldest first. Two
    queries."""
    from django.db.models import Q

    from loans.choices import ApplicationStatus

    mine = LoanApplication.objects.filter(
        Q(officer=user) | Q(prepared_by=user), status__in=open_application_statuses()
    )
    return by_workflow_step(
        mine.select_related("customer", "product"),
        statuses=open_application_statuses(),
        labels=dict(ApplicationStatus.choices),
        order_by=["created_at", "pk"],
        limit=per_step,
    )


def _queue(
    applications: QuerySet[LoanApplication], *, order_by: list[str], limit: int
) -> ApplicationQueue:
    from django.db.models import Count, Sum

    from portal.money import cents

    totals = applications.order_by().aggregate(
        n=Count("pk"), total=Sum("requested_amount")
    )
    total = totals["total"] or 0
    return ApplicationQueue(
        count=totals["n"],
        total=cents(Decimal(str(total)) if isinstance(total, float) else total),
        applications=list(
            applications.select_related("customer", "product").order_by(*order_by)[
                :limit
            ]
        ),
    )


def applications_awaiting_approval(
    user: object, *, limit: int = 25
) -> ApplicationQueue:
    """Applications in review that this user may approve as the second
    person: not the ones they prepared (four-eyes). The longest waiting
    first. Two queries."""
    from django.db.models import Q

    from loans.choices import ApplicationStatus

    waiting = LoanApplication.objects.filter(status=ApplicationStatus.IN_REVIEW)
    waiting = waiting.exclude(Q(prepared_by=user))
    return _queue(waiting, order_by=["submitted_at", "created_at", "pk"], limit=limit)


def applications_back_in_review(*, limit: int = 25) -> ApplicationQueue:
    """Applications whose missing information came in: in review again
    after a request for information. The longest waiting first."""
    from loans.choices import ApplicationStatus

    back = LoanApplication.objects.filter(
        status=ApplicationStatus.IN_REVIEW, information_requested_at__isnull=False
    )
    return _queue(back, order_by=["information_requested_at", "pk"], limit=limit)


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class CashierDay:
    day: date
    by_method: list[MethodTotal]
    count: int
    total: Decimal
    payments: list[Payment]  # the latest ones posted that day
    batches: list[PaymentBatch]


def cashier_day(day: date, *, limit: int = 20) -> CashierDay:
    """What was posted on a day (in the site's time zone): totals by method
    of the payments that stand (reversed ones are left out), the latest
    payments and the day's batch files. Three queries."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count, Sum
    from django.utils import timezone

    from loans.choices import PaymentMethod
    from loans.models import PaymentBatch
    from portal.money import cents

    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    posted = Payment.objects.filter(posted_at__gte=start, posted_at__lt=end)
    labels = dict(PaymentMethod.choices)
    grouped = (
        posted.filter(status=PaymentStatus.POSTED)
        .order_by()
        .values("method")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    totals = {
        row["method"]: MethodTotal(
            row["method"],
            str(labels.get(row["method"], row["method"])),
            row["n"],
            cents(
                Decimal(str(row["total"]))
                if isinstance(row["total"], float)
                else row["total"]
            ),
        )
        for row in grouped
    }
    by_method = [totals[m] for m in labels if m in totals]
    return CashierDay(
        day=day,
        by_method=by_method,
        count=sum(t.count for t in by_method),
        total=sum((t.total for t in by_method), ZERO),
        payments=list(
            posted.select_related("loan", "loan__customer", "batch").order_by(
                "-posted_at", "-pk"
            )[:limit]
        ),
        batches=list(
            PaymentBatch.objects.filter(posted_at__gte=start, posted_at__lt=end)
            .select_related("uploaded_by")
            .order_by("-posted_at", "-pk")
        ),
    )


@dataclass(frozen=True)
class BucketTotal:
    bucket: str
    count: int
    outstanding: Decimal  # principal not yet paid, from the schedule cache


def delinquency_by_bucket(as_of: date) -> list[BucketTotal]:
    """Open loans (active or defaulted) past due as of a date, by DPD bucket
    (1-30 … 121+, each listed even when empty): how many and their
    outstanding principal. One grouped query, with the buckets of
    `filter_by_dpd_bucket` (DPD_BUCKETS)."""
    from datetime import timedelta

    from django.db.models import Case, CharField, Count, Q, Sum, Value, When

    from portal.money import cents

    whens = []
    for name, (low, high) in DPD_BUCKETS.items():
        if low == 0:
            continue
        condition = Q(oldest_unpaid_due__lte=as_of - timedelta(days=low))
        if high is not None:
            condition &= Q(oldest_unpaid_due__gte=as_of - timedelta(days=high))
        whens.append(When(condition, then=Value(name)))
    # The loan row's principal_outstanding (kept by the engine, proved equal
    # to a replay of the installments): no subquery over the installments.
    rows = (
        Loan.objects.filter(status__in=OPEN_LOAN_STATUSES)
        .filter(oldest_unpaid_due__lt=as_of)
        .annotate(
            bucket=Case(*whens, default=Value("current"), output_field=CharField())
        )
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"), total=Sum("principal_outstanding"))
    )
    found = {row["bucket"]: row for row in rows}

    def money(value: Decimal | float | None) -> Decimal:
        return cents(Decimal(str(value)) if isinstance(value, float) else value or 0)

    return [
        BucketTotal(
            name,
            found[name]["n"] if name in found else 0,
            money(found[name]["total"]) if name in found else ZERO,
        )
        for name in DPD_BUCKETS
        if name != "current"
    ]


def loans_with_balances(loans: QuerySet[Loan], as_of: date) -> list[Loan]:
    """Loans (a customer's, an account's, a parcel's) with their principal
    balance from the ledger (`principal_balance`: lent − paid − prepaid −
    written off) and their days past due (`days_past_due`, from the loan
    row's oldest unpaid due date). One query."""
    return put_balances(list(with_ledger_principal(loans)), as_of)


def with_ledger_principal(loans: QuerySet[Loan]) -> QuerySet[Loan]:
    """The loans with their product and `ledger_principal` (the ledger's sum;
    see loans_with_balances). The SQL depends on nothing but the loans, so
    a page may precompile it (portal.db.precompiled)."""
    from django.db.models import (
        Case,
        DecimalField,
        F,
        OuterRef,
        Subquery,
        Sum,
        Value,
        When,
    )

    money = DecimalField(max_digits=14, decimal_places=2)
    balance = (
        LedgerEntry.objects.filter(loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(
            balance=Sum(
                Case(
                    When(kind=EntryKind.DISBURSEMENT, then=F("amount")),
                    When(
                        kind__in=[
                            EntryKind.PRINCIPAL_PAID,
                            EntryKind.PREPAYMENT,
                            EntryKind.WRITE_OFF,
                        ],
                        then=-F("amount"),
                    ),
                    default=Value(ZERO),
                    output_field=money,
                )
            )
        )
        .values("balance")
    )
    return loans.select_related("product").annotate(
        ledger_principal=Subquery(balance[:1], output_field=money),
    )


def put_balances(rows: list[Loan], as_of: date) -> list[Loan]:
    """`principal_balance` and `days_past_due` on loans read through
    with_ledger_principal."""
    from portal.money import cents

    found: list[Loan] = []
    for loan in rows:
        value = getattr(loan, "ledger_principal", None)  # the annotation
        left = cents(Decimal(str(value)) if isinstance(value, float) else value or 0)
        setattr(loan, "principal_balance", left)  # noqa: B010
        # From the loan row's oldest unpaid due date, kept with the schedule
        # rows by the engine (loans.models.Loan).
        setattr(  # noqa: B010
            loan, "days_past_due", days_past_due_from(loan.oldest_unpaid_due, as_of)
        )
        found.append(loan)
    return found
