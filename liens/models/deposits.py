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
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices import InstrumentStatus, InstrumentType
from portal.audit import audited_history

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
