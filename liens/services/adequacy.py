"""Deposit adequacy reviews: one recorded run for a date and class.

Which accounts are reviewed: every ACTIVE account of the class, plus any
account of the class (whatever its status) that still has an allocation
from an instrument in force on the review date, so a closed account's
deposit shows up as over-secured and is considered for refund. Inactive or
closed accounts holding nothing are left out: there is nothing to secure
and nothing to return.

The figures are read set-based (a fixed number of queries, whatever the
number of accounts): the last `months` bills of every reviewed account in
one windowed query, the held amounts in one query, the expiring instruments
in one, the open follow-ups in one. Money is summed in Python from the exact
cent values (SQLite sums decimals as floats).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from liens.models.adequacy import (
    AdequacyExpiring,
    AdequacyPolicy,
    AdequacyReview,
    AdequacyReviewRow,
    AdequacyStatus,
    DepositFollowUp,
    FollowUpKind,
    FollowUpStatus,
    ReviewClass,
)
from liens.models.deposits import DepositAllocation, DepositInstrument, in_force_on
from portal.audit import audit_context, bulk_create_audited
from portal.choices import AccountStatus
from portal.models import BillingPeriod, UtilityAccount
from portal.money import cents, format_money
from portal.transitions import TransitionRefused, has_perm, locked, save_transition

CENT = Decimal("0.01")
FUTURE_DATE = "The review date can't be in the future."
UNKNOWN_CLASS = "Choose one of: residential, commercial, all."


@dataclass(frozen=True)
class AccountFigures:
    account_id: int
    bill_months: int
    average_bill: Decimal
    required: Decimal
    held: Decimal

    @property
    def difference(self) -> Decimal:
        return self.held - self.required

    @property
    def status(self) -> str:
        if self.difference < 0:
            return AdequacyStatus.UNDER
        if self.difference > 0:
            return AdequacyStatus.OVER
        return AdequacyStatus.ADEQUATE


def average_bill(amounts: list[Decimal]) -> Decimal:
    """The exact mean of the bills, rounded half up to the cent (before it is
    multiplied, so the required deposit is a multiple of a cent amount)."""
    if not amounts:
        return Decimal("0.00")
    return (sum(amounts, Decimal(0)) / len(amounts)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def accounts_for_review(as_of: dt.date, customer_class: str) -> QuerySet[Any]:
    """Active accounts of the class, and any holding a deposit in force."""
    holding = DepositAllocation.objects.filter(
        Q(instrument__in=DepositInstrument.objects.filter(in_force_on(as_of)))
    ).values("account_id")
    accounts = UtilityAccount.objects.filter(
        Q(status=AccountStatus.ACTIVE) | Q(pk__in=holding)
    )
    if customer_class != ReviewClass.ALL:
        accounts = accounts.filter(customer_class=customer_class)
    return accounts


def _recent_bills(
    account_ids: QuerySet[Any], as_of: dt.date, months: int
) -> dict[int, list[Decimal]]:
    """The `months` most recent bills (period_start on or before the date) of
    every account, in one query."""
    rows = (
        BillingPeriod.objects.filter(
            account_id__in=account_ids, period_start__lte=as_of
        )
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("account_id")],
                order_by=F("period_start").desc(),
            )
        )
        .filter(recency__lte=months)
        .values_list("account_id", "billed_amount")
    )
    bills: dict[int, list[Decimal]] = defaultdict(list)
    for account_id, amount in rows:
        bills[account_id].append(Decimal(str(amount)))
    return bills


def _held(account_ids: QuerySet[Any], as_of: dt.date) -> dict[int, Decimal]:
    rows = DepositAllocation.objects.filter(
        account_id__in=account_ids,
        instrument__in=DepositInstrument.objects.filter(in_force_on(as_of)),
    ).values_list("account_id", "amount")
    held: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for account_id, amount in rows:
        held[account_id] += Decimal(str(amount))
    return held


def adequacy_figures(
    *, as_of: dt.date, customer_class: str, policy: AdequacyPolicy
) -> list[tuple[UtilityAccount, AccountFigures]]:
    """Every reviewed account with its figures, by account number."""
    accounts = list(
        accounts_for_review(as_of, customer_class)
        .select_related("customer")
        .order_by("number")
    )
    ids = accounts_for_review(as_of, customer_class).values("pk")
    bills = _recent_bills(ids, as_of, policy.months)
    held = _held(ids, as_of)
    multiple = Decimal(policy.multiple)
    result = []
    for account in accounts:
        amounts = bills.get(account.pk, [])
        average = average_bill(amounts)
        required = (
            cents(average * multiple)
            if amounts
            else cents(policy.minimum_for(account.customer_class))
        )
        result.append(
            (
                account,
                AccountFigures(
                    account_id=account.pk,
                    bill_months=len(amounts),
                    average_bill=average,
                    required=required,
                    held=cents(held.get(account.pk, Decimal(0))),
                ),
            )
        )
    return result


def expiring_instruments(
    *, as_of: dt.date, customer_class: str, window_days: int
) -> list[DepositInstrument]:
    """Instruments in force on the date that expire within the window; for a
    class, those securing at least one account of that class."""
    instruments = DepositInstrument.objects.filter(
        in_force_on(as_of),
        expires_on__isnull=False,
        expires_on__lte=as_of + dt.timedelta(days=window_days),
    )
    if customer_class != ReviewClass.ALL:
        instruments = instruments.filter(
            pk__in=DepositAllocation.objects.filter(
                account__customer_class=customer_class
            ).values("instrument_id")
        )
    return list(instruments.order_by("expires_on", "pk"))


def _validate(as_of: Any, customer_class: Any) -> None:
    errors: dict[str, str] = {}
    if customer_class not in ReviewClass.values:
        errors["customer_class"] = UNKNOWN_CLASS
    if not isinstance(as_of, dt.date):
        errors["as_of"] = "Enter the review date."
    elif as_of > timezone.localdate():
        errors["as_of"] = FUTURE_DATE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def adequacy_review_run(
    *, actor: Any, as_of: dt.date, customer_class: str
) -> AdequacyReview:
    """Review every account of the class on the date, record the run with its
    rows and expiring instruments, and open follow-ups (never a second open
    one for the same account or instrument and kind)."""
    verdict = has_perm(actor, "liens.review_adequacy", doing="run adequacy reviews")
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    _validate(as_of, customer_class)
    policy = AdequacyPolicy.current()
    figures = adequacy_figures(
        as_of=as_of, customer_class=customer_class, policy=policy
    )
    expiring = expiring_instruments(
        as_of=as_of,
        customer_class=customer_class,
        window_days=policy.expiring_window_days,
    )
    under = [f for _, f in figures if f.status == AdequacyStatus.UNDER]
    over = [f for _, f in figures if f.status == AdequacyStatus.OVER]
    label = ReviewClass(customer_class).label.lower()
    reason = f"Deposit adequacy review of {label} as of {as_of:%B %-d, %Y}"
    with audit_context(user=actor, reason=reason):
        review = AdequacyReview.objects.create(
            as_of=as_of,
            customer_class=customer_class,
            multiple=policy.multiple,
            months=policy.months,
            expiring_window_days=policy.expiring_window_days,
            started_by=actor,
            accounts_reviewed=len(figures),
            under_count=len(under),
            over_count=len(over),
            adequate_count=len(figures) - len(under) - len(over),
            total_required=sum((f.required for _, f in figures), Decimal("0.00")),
            total_held=sum((f.held for _, f in figures), Decimal("0.00")),
            total_shortfall=sum((-f.difference for f in under), Decimal("0.00")),
            total_excess=sum((f.difference for f in over), Decimal("0.00")),
        )
        bulk_create_audited(
            AdequacyReviewRow,
            [
                AdequacyReviewRow(
                    review=review,
                    account=account,
                    bill_months=f.bill_months,
                    average_bill=f.average_bill,
                    required=f.required,
                    held=f.held,
                    difference=f.difference,
                    status=f.status,
                )
                for account, f in figures
            ],
        )
        bulk_create_audited(
            AdequacyExpiring,
            [
                AdequacyExpiring(
                    review=review,
                    instrument=instrument,
                    expires_on=instrument.expires_on,
                )
                for instrument in expiring
                if instrument.expires_on is not None  # always: the filter
            ],
        )
        _open_follow_ups(review, under, over, expiring)
    return review


def _open_follow_ups(
    review: AdequacyReview,
    under: list[AccountFigures],
    over: list[AccountFigures],
    expiring: list[DepositInstrument],
) -> None:
    open_now = DepositFollowUp.objects.filter(status=FollowUpStatus.OPEN)
    taken = {
        (kind, account_id, instrument_id)
        for kind, account_id, instrument_id in open_now.values_list(
            "kind", "account_id", "instrument_id"
        )
    }
    wanted: list[tuple[str, int | None, int | None, Decimal | None]] = []
    for f in under:
        wanted.append((FollowUpKind.COLLECT.value, f.account_id, None, -f.difference))
    for f in over:
        wanted.append((FollowUpKind.REFUND.value, f.account_id, None, f.difference))
    for i in expiring:
        wanted.append((FollowUpKind.RENEW.value, None, i.pk, None))
    bulk_create_audited(
        DepositFollowUp,
        [
            DepositFollowUp(
                review=review,
                kind=kind,
                account_id=account_id,
                instrument_id=instrument_id,
                amount=amount,
            )
            for kind, account_id, instrument_id, amount in wanted
            if (kind, account_id, instrument_id) not in taken
        ],
    )


@transaction.atomic
def deposit_follow_up_close(
    *, actor: Any, follow_up: DepositFollowUp, action: str, note: str = ""
) -> DepositFollowUp:
    """Mark a follow-up done or dismiss it (action "done" or "dismiss")."""
    if action not in ("done", "dismiss"):
        raise ValidationError({"action": "Choose done or dismiss."})
    follow_up = locked(DepositFollowUp, follow_up.pk, action, actor)
    status = FollowUpStatus.DONE if action == "done" else FollowUpStatus.DISMISSED
    return save_transition(
        follow_up,
        actor=actor,
        reason=f"{follow_up.get_kind_display()} for {follow_up.subject}: "
        f"{status.label.lower()}",
        status=status,
        stamp="closed_at",
        closed_by=actor,
        note=(note or "").strip(),
    )


def describe_difference(value: Decimal) -> str:
    """ "$120.00 short", "$40.00 over" or "even", for pages."""
    if value < 0:
        return f"{format_money(-value)} short"
    if value > 0:
        return f"{format_money(value)} over"
    return "even"


@transaction.atomic
def adequacy_policy_update(
    *,
    actor: Any,
    multiple: Decimal,
    months: int,
    residential_minimum: Decimal,
    commercial_minimum: Decimal,
    expiring_window_days: int,
) -> AdequacyPolicy:
    """Change the review rules (a supervisor's decision; history kept). Runs
    already recorded keep the multiple they used."""
    verdict = has_perm(
        actor, "liens.change_adequacypolicy", doing="change the adequacy policy"
    )
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    policy = AdequacyPolicy.objects.select_for_update().get(
        pk=AdequacyPolicy.current().pk
    )
    return save_transition(
        policy,
        actor=actor,
        reason="Deposit adequacy policy changed",
        stamp="updated_at",
        multiple=multiple,
        months=months,
        residential_minimum=residential_minimum,
        commercial_minimum=commercial_minimum,
        expiring_window_days=expiring_window_days,
    )
