"""Deposit adequacy reviews: the policy (data a supervisor edits), each
recorded review run with its rows and the instruments expiring soon, and the
follow-up tasks a review leaves for staff.

Required deposit per account = policy multiple × the account's average
monthly bill over its last `months` billed months (the average rounded half
up to the cent first); an account with no bills needs the minimum for its
class. Held = its allocations from instruments in force on the review date.
The arithmetic lives in liens.services.adequacy.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from portal.audit import audited_history
from portal.choices import CustomerClass
from portal.transitions import Verdict, first_refusal, has_perm, in_state

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}
SIGNED_MONEY = MONEY


class ReviewClass(models.TextChoices):
    RESIDENTIAL = "residential", "Residential"
    COMMERCIAL = "commercial", "Commercial"
    ALL = "all", "All accounts"


class AdequacyStatus(models.TextChoices):
    UNDER = "under", "Under-secured"
    ADEQUATE = "adequate", "Adequately secured"
    OVER = "over", "Over-secured"


class FollowUpKind(models.TextChoices):
    COLLECT = "collect", "Collect additional deposit"
    REFUND = "refund", "Consider refund of excess"
    RENEW = "renew", "Renew expiring instrument"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DISMISSED = "dismissed", "Dismissed"


class AdequacyPolicy(models.Model):
    """The one row of review rules (seeded by a migration; edited by a
    supervisor, history kept)."""

    multiple = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        help_text="Required deposit = this many times the average monthly bill.",
    )
    months = models.PositiveSmallIntegerField(
        "months looked at",
        default=12,
        help_text="How many of the most recent billed months are averaged.",
    )
    residential_minimum = MoneyField(
        "residential minimum",
        default=Decimal("100.00"),
        help_text="Required of a residential account with no bills yet.",
        **MONEY,
    )
    commercial_minimum = MoneyField(
        "commercial minimum",
        default=Decimal("500.00"),
        help_text="Required of a commercial account with no bills yet.",
        **MONEY,
    )
    expiring_window_days = models.PositiveSmallIntegerField(
        "expiring window (days)",
        default=60,
        help_text="Instruments expiring within this many days are listed.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[AdequacyPolicy]]
        _default_manager: ClassVar[models.Manager[AdequacyPolicy]]

    class Meta:
        verbose_name = "deposit adequacy policy"
        verbose_name_plural = "deposit adequacy policy"
        constraints = [
            models.CheckConstraint(
                condition=Q(multiple__gt=0), name="adequacy_multiple_positive"
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1), name="adequacy_months_positive"
            ),
            models.CheckConstraint(
                condition=Q(residential_minimum__gte=0) & Q(commercial_minimum__gte=0),
                name="adequacy_minimums_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return "Deposit adequacy policy"

    @classmethod
    def current(cls) -> AdequacyPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls.objects.create()

    def minimum_for(self, customer_class: str) -> Decimal:
        if customer_class == CustomerClass.COMMERCIAL:
            return Decimal(self.commercial_minimum.amount)
        return Decimal(self.residential_minimum.amount)


class AdequacyReview(models.Model):
    """One recorded review run for a date and class."""

    as_of = models.DateField("review date")
    customer_class = models.CharField(
        "class", max_length=12, choices=ReviewClass.choices
    )
    multiple = models.DecimalField(max_digits=5, decimal_places=2)
    months = models.PositiveSmallIntegerField("months looked at")
    expiring_window_days = models.PositiveSmallIntegerField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accounts_reviewed = models.PositiveIntegerField(default=0)
    under_count = models.PositiveIntegerField(default=0)
    adequate_count = models.PositiveIntegerField(default=0)
    over_count = models.PositiveIntegerField(default=0)
    total_required = MoneyField(default=Decimal("0.00"), **MONEY)
    total_held = MoneyField(default=Decimal("0.00"), **MONEY)
    total_shortfall = MoneyField(
        default=Decimal("0.00"),
        help_text="The sum of what under-secured accounts lack.",
        **MONEY,
    )
    total_excess = MoneyField(
        default=Decimal("0.00"),
        help_text="The sum of what over-secured accounts hold beyond need.",
        **MONEY,
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[AdequacyReview]]
        _default_manager: ClassVar[models.Manager[AdequacyReview]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "deposit adequacy review"
        permissions = [
            ("review_adequacy", "Can run deposit adequacy reviews"),
        ]

    def __str__(self) -> str:
        return f"Adequacy review {self.reference}"

    @property
    def reference(self) -> str:
        return f"AR-{self.pk:06d}" if self.pk else "AR-new"


class AdequacyReviewRow(models.Model):
    """One account's figures in a review."""

    review = models.ForeignKey(
        AdequacyReview, on_delete=models.CASCADE, related_name="rows"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount", on_delete=models.PROTECT, related_name="+"
    )
    bill_months = models.PositiveSmallIntegerField("bill months counted")
    average_bill = MoneyField(**MONEY)
    required = MoneyField(**MONEY)
    held = MoneyField(**MONEY)
    difference = MoneyField(help_text="Held − required.", **SIGNED_MONEY)
    status = models.CharField(max_length=10, choices=AdequacyStatus.choices)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[AdequacyReviewRow]]
        _default_manager: ClassVar[models.Manager[AdequacyReviewRow]]

    class Meta:
        ordering = ["review", "account__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "account"], name="adequacy_row_unique_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference} {self.account.number}"


class AdequacyExpiring(models.Model):
    """An instrument in force on the review date that expires within the
    policy's window."""

    review = models.ForeignKey(
        AdequacyReview, on_delete=models.CASCADE, related_name="expiring"
    )
    instrument = models.ForeignKey(
        "liens.DepositInstrument", on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField()

    history = audited_history()

    class Meta:
        ordering = ["review", "expires_on", "instrument"]
        verbose_name = "expiring instrument"

    def __str__(self) -> str:
        return f"{self.review.reference} {self.instrument.reference}"


class DepositFollowUp(models.Model):
    """A task a review leaves: collect more, consider a refund, renew."""

    review = models.ForeignKey(
        AdequacyReview, on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(max_length=10, choices=FollowUpKind.choices)
    account = models.ForeignKey(
        "portal.UtilityAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instrument = models.ForeignKey(
        "liens.DepositInstrument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = MoneyField(
        null=True,
        blank=True,
        help_text="The shortfall or excess found by the review.",
        **MONEY,
    )
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(blank=True)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositFollowUp]]
        _default_manager: ClassVar[models.Manager[DepositFollowUp]]

    class Meta:
        ordering = ["status", "-created_at", "-pk"]
        verbose_name = "deposit follow-up"
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(instrument__isnull=False),
                name="follow_up_has_subject",
            ),
            # One open task per account (or instrument) and kind: a re-run
            # does not pile up duplicates.
            models.UniqueConstraint(
                fields=["account", "kind"],
                condition=Q(status="open", account__isnull=False),
                name="follow_up_one_open_per_account_kind",
            ),
            models.UniqueConstraint(
                fields=["instrument", "kind"],
                condition=Q(status="open", instrument__isnull=False),
                name="follow_up_one_open_per_instrument_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        if self.account is not None:
            return f"account {self.account.number}"
        return str(self.instrument)

    def _close(self, actor: Any, verb: str) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.review_adequacy", doing="close follow-ups"),
            in_state(self, {FollowUpStatus.OPEN}, verb=verb, what="This follow-up"),
        )

    def can_done(self, actor: Any) -> Verdict:
        return self._close(actor, "marked done")

    def can_dismiss(self, actor: Any) -> Verdict:
        return self._close(actor, "dismissed")
