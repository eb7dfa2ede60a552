"""Payment arrangements: a delinquent loan's past-due amount spread over a
few months on top of the regular installment, with its own dated schedule.

proposed → active (approved within the approver's limit; the preparer may
approve it alone only within their own limit) → completed (every payment
date passed, each covered) or broken (a payment date passed whose cumulative
amount was not covered by then); cancelled from proposed or active. The
nightly run (loans.services.collections.collections_day) judges them;
services in loans.services.arrangements make every other change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from loans.choices import OPEN_ARRANGEMENT_STATUSES, ArrangementStatus
from loans.models.book import amount_field
from portal.audit import audited_history
from portal.choices import ApprovalAction
from portal.transitions import (
    ALLOWED,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)

OVER_OWN_LIMIT = (
    "{amount} is above your own limit for a payment arrangement ({limit}); "
    "a second person with a high enough limit must approve it."
)
NO_OWN_LIMIT = (
    "You have no limit of your own for payment arrangements; a second person "
    "must approve it."
)
FIRST_DATE_PASSED = (
    "Its first payment date ({day:%B %-d, %Y}) has passed; cancel it and "
    "propose a new one."
)


class PaymentArrangement(models.Model):
    """An agreement with the customer to catch up on a delinquent loan.

    In the back office: from the collections work queue, the loan's
    collections page (Loans › Collections work queue).
    """

    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="arrangements"
    )
    status = models.CharField(
        max_length=10,
        choices=ArrangementStatus.choices,
        default=ArrangementStatus.PROPOSED,
    )
    past_due_amount = amount_field(
        help_text="The past-due amount spread over the months (fees included)."
    )
    months = models.PositiveSmallIntegerField()
    agreed_on = models.DateField(
        help_text="The day it was agreed with the customer; payments count from it."
    )
    first_due_date = models.DateField()
    note = models.TextField(blank=True)
    action = models.OneToOneField(
        "loans.CollectionAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrangement",
        help_text="The collection action recorded when it was proposed.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    broken_on = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField(max_length=255, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(past_due_amount__gt=0), name="arrangement_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=24),
                name="arrangement_months_range",
            ),
            # One arrangement at a time binds a loan.
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(status__in=OPEN_ARRANGEMENT_STATUSES),
                name="arrangement_one_open_per_loan",
            ),
        ]
        permissions = [
            ("propose_arrangement", "Can propose and cancel payment arrangements"),
            ("approve_arrangement", "Can approve payment arrangements"),
        ]

    def __str__(self) -> str:
        return f"Arrangement {self.reference} on loan {self.loan.number}"

    @property
    def reference(self) -> str:
        return f"PA-{self.pk:06d}" if self.pk else "PA-new"

    def is_open(self) -> bool:
        return self.status in OPEN_ARRANGEMENT_STATUSES

    # --- transitions (services in loans.services.arrangements) ---

    ACTIONS = ("approve", "cancel")

    def can_approve(self, actor: Any) -> Verdict:
        """Role, state and the first date; and the preparer alone only within
        their own limit (someone else is judged by four_eyes_check with the
        amount, in the service)."""
        from portal.controls import approval_limit_for

        verdict = first_refusal(
            has_perm(
                actor, "loans.approve_arrangement", doing="approve payment arrangements"
            ),
            in_state(
                self,
                {ArrangementStatus.PROPOSED},
                verb="approved",
                what=f"Arrangement {self.reference}",
            ),
        )
        if not verdict:
            return verdict
        if self.first_due_date < timezone.localdate():
            return refuse(FIRST_DATE_PASSED.format(day=self.first_due_date))
        if actor.pk == self.proposed_by_id:
            from portal.money import format_money

            limit = approval_limit_for(actor, ApprovalAction.ARRANGEMENT)
            if limit is None:
                return refuse(NO_OWN_LIMIT)
            if self.past_due_amount > limit.amount:
                return refuse(
                    OVER_OWN_LIMIT.format(
                        amount=format_money(self.past_due_amount),
                        limit=format_money(limit.amount),
                    )
                )
        return ALLOWED

    def can_cancel(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(
                actor, "loans.propose_arrangement", doing="cancel payment arrangements"
            ),
            in_state(
                self,
                set(OPEN_ARRANGEMENT_STATUSES),
                verb="cancelled",
                what=f"Arrangement {self.reference}",
            ),
        )


class ArrangementPayment(models.Model):
    """One month of an arrangement: the regular installment(s) falling due in
    it plus this month's part of the past-due amount."""

    arrangement = models.ForeignKey(
        PaymentArrangement, on_delete=models.CASCADE, related_name="payments"
    )
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    regular_amount = amount_field(
        help_text="The loan's own installment(s) falling due by this date."
    )
    catch_up_amount = amount_field(
        help_text="This month's part of the past-due amount."
    )

    history = audited_history()

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "number"], name="arrangement_payment_number"
            ),
            models.CheckConstraint(
                condition=Q(regular_amount__gte=0) & Q(catch_up_amount__gte=0),
                name="arrangement_payment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arrangement.reference} #{self.number} due {self.due_date}"

    @property
    def amount(self) -> Decimal:
        return self.regular_amount + self.catch_up_amount
