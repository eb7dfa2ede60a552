"""Reads for collections: the work queue (every delinquent loan with its next
recommended action), a loan's past-due amount, its collection history.

The queue is read set-based in a fixed number of queries however many loans
are in it (tested): the loans with their amounts as subqueries, then the
ladder, the episodes' actions and the arrangements, one query each; the
ladder arithmetic (loans.ladder) runs on those rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from loans.choices import (
    OPEN_LOAN_STATUSES,
    ArrangementStatus,
    EntryKind,
    PromiseStatus,
)
from loans.ladder import Done, Rung, next_step
from loans.models import (
    CollectionAction,
    CollectionStep,
    Installment,
    LedgerEntry,
    Loan,
    PaymentArrangement,
)
from loans.schedule import DPD_BUCKETS, dpd_bucket
from portal.money import ZERO, cents

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _money(value: Any) -> Decimal:
    # SQLite hands sums back as floats: read them through their text.
    if value is None:
        return ZERO
    return cents(Decimal(str(value)) if isinstance(value, float) else value)


def _sum_subquery(queryset: QuerySet[Any], expression: Any) -> Subquery:
    return Subquery(
        queryset.order_by()
        .values("loan")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")[:1],
        output_field=MONEY,
    )


def with_amounts(loans: QuerySet[Loan], as_of: date) -> QuerySet[Loan]:
    """Annotate each loan with `past_due_owed` (unpaid principal and interest
    of the installments due before `as_of`), `interest_due` (unpaid interest
    of those due on or before it) and `fees_owed` (fees assessed and not
    paid). From the installment rows and the ledger, as they stand."""
    unpaid = ExpressionWrapper(
        F("principal") - F("principal_paid") + F("interest") - F("interest_paid"),
        output_field=MONEY,
    )
    interest = ExpressionWrapper(F("interest") - F("interest_paid"), output_field=MONEY)
    fees = LedgerEntry.objects.filter(
        loan=OuterRef("pk"), kind__in=[EntryKind.FEE_ASSESSED, EntryKind.FEE_PAID]
    )
    # Fees assessed count up, payments to fees down (reversals carry their
    # own negated amounts).
    fee_sign = Case(
        When(kind=EntryKind.FEE_PAID, then=-F("amount")),
        default=F("amount"),
        output_field=MONEY,
    )
    return loans.annotate(
        past_due_owed=Coalesce(
            _sum_subquery(
                Installment.objects.filter(loan=OuterRef("pk"), due_date__lt=as_of),
                unpaid,
            ),
            ZERO,
            output_field=MONEY,
        ),
        interest_due=Coalesce(
            _sum_subquery(
                Installment.objects.filter(loan=OuterRef("pk"), due_date__lte=as_of),
                interest,
            ),
            ZERO,
            output_field=MONEY,
        ),
        fees_owed=Coalesce(_sum_subquery(fees, fee_sign), ZERO, output_field=MONEY),
    )


def past_due_amount(loan: Loan, as_of: date) -> Decimal:
    """What brings the loan current on `as_of`: the unpaid principal and
    interest of installments due before it, and unpaid fees."""
    row = with_amounts(Loan.objects.filter(pk=loan.pk), as_of).get()
    return _money(getattr(row, "past_due_owed", 0)) + _money(
        getattr(row, "fees_owed", 0)
    )


def ladder() -> list[Rung]:
    return [
        Rung(
            order=s.order,
            dpd_threshold=s.dpd_threshold,
            action_type=s.action_type,
            after_action=s.after_action,
            label=s.label,
            channel=s.channel,
            template_code=s.template_code,
            pk=s.pk,
        )
        for s in CollectionStep.objects.filter(is_active=True).order_by("order")
    ]


@dataclass
class QueueRow:
    loan: Loan
    days_past_due: int
    bucket: str
    past_due: Decimal
    balance: Decimal
    next_step: Rung | None
    last_action: CollectionAction | None
    promise: CollectionAction | None  # the episode's latest promise to pay
    arrangement: PaymentArrangement | None  # open, or the episode's latest
    needs_follow_up: bool  # a broken promise or arrangement nobody acted on since
    actions: list[CollectionAction] = field(default_factory=list)

    @property
    def held_by_arrangement(self) -> bool:
        return (
            self.arrangement is not None
            and self.arrangement.status == ArrangementStatus.ACTIVE
        )


def delinquent_loans(
    as_of: date, *, bucket: str = "", officer: Any = None, loan: Loan | None = None
) -> QuerySet[Loan]:
    """Open loans past due on `as_of` (the oldest unpaid installment was due
    before it), narrowed to one DPD bucket, one officer ("none": loans
    with no officer) or one loan when asked."""
    loans = Loan.objects.filter(
        status__in=OPEN_LOAN_STATUSES, oldest_unpaid_due__lt=as_of
    )
    if loan is not None:
        loans = loans.filter(pk=loan.pk)
    if bucket and bucket in DPD_BUCKETS and bucket != "current":
        low, high = DPD_BUCKETS[bucket]
        loans = loans.filter(oldest_unpaid_due__lte=as_of - timedelta(days=low))
        if high is not None:
            loans = loans.filter(oldest_unpaid_due__gte=as_of - timedelta(days=high))
    if officer == "none":
        loans = loans.filter(officer__isnull=True)
    elif officer is not None:
        loans = loans.filter(officer=officer)
    return loans


def collection_queue(
    as_of: date, *, bucket: str = "", officer: Any = None, loan: Loan | None = None
) -> list[QueueRow]:
    """The collections work queue on `as_of`: each delinquent loan with its
    amounts, last action, promise, arrangement and next recommended action.
    Loans whose broken promise or arrangement nobody has followed up come
    first, then the most days past due. Five queries."""
    loans = list(
        with_amounts(
            delinquent_loans(
                as_of, bucket=bucket, officer=officer, loan=loan
            ).select_related("customer", "officer"),
            as_of,
        )
    )
    by_pk = {loan.pk: loan for loan in loans}
    rungs = ladder()
    actions: dict[int, list[CollectionAction]] = {pk: [] for pk in by_pk}
    in_episode = (
        CollectionAction.objects.filter(
            loan__in=delinquent_loans(as_of, bucket=bucket, officer=officer, loan=loan),
            date__gte=F("loan__oldest_unpaid_due"),
            date__lte=as_of,
        )
        .select_related("by")
        .order_by("date", "pk")
    )
    for action in in_episode:
        if action.loan_id in actions:
            actions[action.loan_id].append(action)
    arrangements: dict[int, PaymentArrangement] = {}
    for arrangement in (
        PaymentArrangement.objects.filter(
            loan__in=delinquent_loans(as_of, bucket=bucket, officer=officer, loan=loan)
        )
        .filter(
            Q(status__in=[ArrangementStatus.PROPOSED, ArrangementStatus.ACTIVE])
            | Q(agreed_on__gte=F("loan__oldest_unpaid_due"))
        )
        .order_by("agreed_on", "pk")
    ):
        current = arrangements.get(arrangement.loan_id)
        # An open one wins over an earlier closed one; otherwise the latest.
        if current is None or not current.is_open() or arrangement.is_open():
            arrangements[arrangement.loan_id] = arrangement
    rows = [_row(loan, as_of, rungs, actions[loan.pk], arrangements) for loan in loans]
    rows.sort(key=lambda r: (not r.needs_follow_up, -r.days_past_due, r.loan.number))
    return rows


def _row(
    loan: Loan,
    as_of: date,
    rungs: list[Rung],
    actions: list[CollectionAction],
    arrangements: dict[int, PaymentArrangement],
) -> QueueRow:
    start = loan.oldest_unpaid_due
    assert start is not None  # delinquent_loans: past due
    dpd = (as_of - start).days
    arrangement = arrangements.get(loan.pk)
    promises = [a for a in actions if a.is_promise()]
    promise = promises[-1] if promises else None
    last = max(actions, key=lambda a: (a.date, a.pk)) if actions else None
    broken_since: date | None = None
    if promise is not None and promise.promise_status == PromiseStatus.BROKEN:
        broken_since = promise.promise_date
    if arrangement is not None and arrangement.status == ArrangementStatus.BROKEN:
        broken = arrangement.broken_on
        if broken is not None and (broken_since is None or broken > broken_since):
            broken_since = broken
    # Followed up: someone recorded an action after the promise or the
    # arrangement broke.
    needs_follow_up = broken_since is not None and (
        last is None or last.date <= broken_since
    )
    held = arrangement is not None and arrangement.status == ArrangementStatus.ACTIVE
    open_promise = (
        promise is not None
        and promise.promise_status == PromiseStatus.OPEN
        and promise.promise_date is not None
        and promise.promise_date >= as_of
    )
    step = None
    if not held and not open_promise:
        step = next_step(
            rungs,
            start=start,
            as_of=as_of,
            actions=[Done(a.type, a.date) for a in actions],
        )
    return QueueRow(
        loan=loan,
        days_past_due=dpd,
        bucket=dpd_bucket(dpd),
        past_due=_money(getattr(loan, "past_due_owed", 0))
        + _money(getattr(loan, "fees_owed", 0)),
        balance=loan.principal_outstanding
        + _money(getattr(loan, "interest_due", 0))
        + _money(getattr(loan, "fees_owed", 0)),
        next_step=step,
        last_action=last,
        promise=promise,
        arrangement=arrangement,
        needs_follow_up=needs_follow_up,
        actions=actions,
    )


def queue_row(loan: Loan, as_of: date) -> QueueRow | None:
    """One loan's queue row (None when it is not past due)."""
    rows = collection_queue(as_of, loan=loan)
    return rows[0] if rows else None


def actions_newest_first(loan: Loan) -> QuerySet[CollectionAction]:
    return CollectionAction.objects.filter(loan=loan).select_related("by")


def queue_counts_by_bucket(as_of: date) -> list[tuple[str, int]]:
    """How many loans are in the queue per past-due bucket (every bucket
    listed). One query."""
    from django.db.models import Case, CharField, Count, Value, When

    whens = []
    for name, (low, high) in DPD_BUCKETS.items():
        if low == 0:
            continue
        condition = Q(oldest_unpaid_due__lte=as_of - timedelta(days=low))
        if high is not None:
            condition &= Q(oldest_unpaid_due__gte=as_of - timedelta(days=high))
        whens.append(When(condition, then=Value(name)))
    found = dict(
        delinquent_loans(as_of)
        .annotate(b=Case(*whens, output_field=CharField()))
        .order_by()
        .values_list("b")
        .annotate(n=Count("pk"))
    )
    return [(name, found.get(name, 0)) for name in DPD_BUCKETS if name != "current"]
