"""Security deposits held against utility accounts: cash, bonds, certificates
of deposit, utility bonds and letters of credit.

One instrument may secure many accounts (a blanket bond for a property
manager's or a public agency's accounts) with an amount allocated to each;
the allocations never add up to more than the face amount (checked by the
service under a lock on the instrument).

In the back office: Liens & deposits menu (liens/wagtail_hooks.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices import BOND_TYPES, REDEEMABLE_TYPES, InstrumentStatus, InstrumentType
from portal.audit import audited_history
from portal.transitions import (
    ALLOWED,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}


class DepositInstrument(models.Model):
    """One deposit instrument: the cash, the bond, the CD, the letter."""

    instrument_type = models.CharField(
        "type", max_length=24, choices=InstrumentType.choices
    )
    issuer = models.CharField(
        max_length=200,
        blank=True,
        help_text="Issuing bank, insurer or surety (blank for cash).",
    )
    instrument_number = models.CharField(max_length=60, blank=True)
    face_amount = MoneyField(**MONEY)
    effective_on = models.DateField()
    expires_on = models.DateField(
        null=True, blank=True, help_text="Blank when it does not expire (cash)."
    )
    status = models.CharField(
        max_length=12, choices=InstrumentStatus.choices, default=InstrumentStatus.HELD
    )
    holder = models.ForeignKey(
        "portal.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deposit_instruments",
        help_text="Who gave the deposit (the customer, property manager or agency).",
    )
    documents = models.ManyToManyField("portal.Document", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    renewed_on = models.DateField(null=True, blank=True, editable=False)
    released_on = models.DateField(null=True, blank=True, editable=False)
    refunded_on = models.DateField(null=True, blank=True, editable=False)
    refund_interest = MoneyField(
        null=True,
        blank=True,
        editable=False,
        help_text="Interest paid on a cash refund.",
        **MONEY,
    )
    applied_on = models.DateField(null=True, blank=True, editable=False)
    redeemed_on = models.DateField(null=True, blank=True, editable=False)

    history = audited_history(m2m_fields=[documents])

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[DepositInstrument]]
        _default_manager: ClassVar[models.Manager[DepositInstrument]]

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = "deposit instrument"
        constraints = [
            models.CheckConstraint(
                condition=Q(face_amount__gt=0), name="deposit_face_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("effective_on")),
                name="deposit_expires_after_effective",
            ),
        ]
        permissions = [
            ("manage_deposit", "Can record and administer security deposits"),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_type_display()} {self.reference}"

    @property
    def reference(self) -> str:
        return f"DP-{self.pk:06d}" if self.pk else "DP-new"

    def is_in_force(self, on: date) -> bool:
        """Held, effective on the day and not expired by it."""
        return (
            self.status == InstrumentStatus.HELD
            and self.effective_on <= on
            and (self.expires_on is None or self.expires_on >= on)
        )

    # -- transition predicates (liens/services/deposits.py, liens/services/claims.py)

    def can_allocate(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="allocate deposits"),
            in_state(self, [InstrumentStatus.HELD], verb="allocated"),
        )

    def can_renew(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="renew deposits"),
            in_state(self, [InstrumentStatus.HELD], verb="renewed"),
            ALLOWED
            if self.expires_on is not None
            else refuse(f"{self} does not expire; there is nothing to renew."),
        )

    def can_release(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="release deposits"),
            in_state(self, [InstrumentStatus.HELD], verb="released"),
            refuse(f"{self} is cash; refund it instead of releasing it.")
            if self.instrument_type == InstrumentType.CASH
            else ALLOWED,
        )

    def can_refund(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="refund deposits"),
            in_state(self, [InstrumentStatus.HELD], verb="refunded"),
            ALLOWED
            if self.instrument_type == InstrumentType.CASH
            else refuse(
                f"Only a cash deposit is refunded; {self} is returned (released)."
            ),
        )

    def can_apply_to_final_bill(self, actor: Any) -> Verdict:
        from portal.choices import AccountStatus

        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="apply deposits to bills"),
            in_state(self, [InstrumentStatus.HELD], verb="applied to a final bill"),
            ALLOWED
            if self.pk
            and self.allocations.filter(
                account__status=AccountStatus.FINAL_BILLED
            ).exists()
            else refuse(f"None of the accounts {self} secures has been final billed."),
        )

    def can_redeem(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="redeem deposits"),
            in_state(self, [InstrumentStatus.HELD], verb="redeemed"),
            ALLOWED
            if self.instrument_type in REDEEMABLE_TYPES
            else refuse(
                f"Only a certificate of deposit or a utility bond is redeemed; "
                f"{self} is a {self.get_instrument_type_display().lower()}."
            ),
        )

    def can_file_claim(self, actor: Any) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.manage_deposit", doing="file claims"),
            in_state(self, [InstrumentStatus.HELD], verb="claimed against"),
            ALLOWED
            if self.instrument_type in BOND_TYPES
            else refuse(
                f"Claims are made against an insurer, surety or bank; {self} is a "
                f"{self.get_instrument_type_display().lower()}."
            ),
        )


def in_force_on(on: date) -> Q:
    """The same test as `DepositInstrument.is_in_force`, for querysets of
    instruments."""
    return Q(status=InstrumentStatus.HELD, effective_on__lte=on) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )


class DepositAllocation(models.Model):
    """The part of an instrument's face amount that secures one account."""

    instrument = models.ForeignKey(
        DepositInstrument, on_delete=models.PROTECT, related_name="allocations"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount",
        on_delete=models.PROTECT,
        related_name="deposit_allocations",
    )
    amount = MoneyField(**MONEY)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositAllocation]]
        _default_manager: ClassVar[models.Manager[DepositAllocation]]

    class Meta:
        ordering = ["instrument", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "account"], name="deposit_allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="deposit_allocation_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.reference} → {self.account.number}"


class DepositPolicy(models.Model):
    """The ordinance's interest rule for cash deposits, as data: one row.

    Interest on a refunded cash deposit is simple interest at the annual
    rate on the amount held, for the actual days held over 365, rounded half
    up to the cent. `pays_interest` off means refunds carry no interest.
    """

    pays_interest = models.BooleanField(default=True)
    annual_rate = models.DecimalField(
        "annual interest rate (%)",
        max_digits=5,
        decimal_places=3,
        default=Decimal("2.000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("25"))],
        help_text="Simple interest, days actual/365 (0 to 25).",
    )

    history = audited_history()

    class Meta:
        verbose_name = "deposit interest policy"
        verbose_name_plural = "deposit interest policy"

    def __str__(self) -> str:
        return (
            f"Deposit interest {self.annual_rate}%"
            if self.pays_interest
            else "No interest"
        )

    @classmethod
    def current(cls) -> DepositPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class DepositApplication(models.Model):
    """A deposit's share applied to the final bill of the account it secured."""

    instrument = models.ForeignKey(
        DepositInstrument, on_delete=models.PROTECT, related_name="applications"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount", on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(**MONEY)
    applied_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositApplication]]
        _default_manager: ClassVar[models.Manager[DepositApplication]]

    class Meta:
        ordering = ["applied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="deposit_application_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.reference} applied to {self.account.number}"


class DepositRedemption(models.Model):
    """A certificate of deposit or utility bond cashed in by the utility:
    proceeds less the early-redemption penalty is the net posted."""

    instrument = models.OneToOneField(
        DepositInstrument, on_delete=models.PROTECT, related_name="redemption"
    )
    redeemed_on = models.DateField()
    proceeds = MoneyField(**MONEY)
    early_redemption_penalty = MoneyField(**MONEY)
    net = MoneyField(**MONEY)
    posted_at = models.DateTimeField(default=timezone.now, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositRedemption]]
        _default_manager: ClassVar[models.Manager[DepositRedemption]]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(proceeds__gt=0), name="deposit_redemption_proceeds_positive"
            ),
            models.CheckConstraint(
                condition=Q(early_redemption_penalty__gte=0)
                & Q(early_redemption_penalty__lte=F("proceeds")),
                name="deposit_redemption_penalty_within_proceeds",
            ),
        ]

    def __str__(self) -> str:
        return f"Redemption of {self.instrument.reference}"
