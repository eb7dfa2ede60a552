"""Liens the utility records on customers' properties to secure loans.

A lien's life: to record → recorded → (subordinated, any number of times)
→ satisfaction pending → satisfied. Each step is a named transition with a
`can_<action>` predicate here and a service in `liens.services`.

In the back office: Liens & deposits menu (liens/wagtail_hooks.py).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices import STANDING_LIEN_STATUSES, LienStatus
from loans.choices import LoanStatus
from portal.audit import audited_history
from portal.transitions import Verdict, first_refusal, has_perm, in_state, refuse

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}


class Lien(models.Model):
    """A lien on a property securing one loan."""

    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="liens"
    )
    parcel = models.ForeignKey(
        "portal.Property",
        on_delete=models.PROTECT,
        related_name="liens",
        verbose_name="property",
    )
    amount = MoneyField(**MONEY, help_text="The amount the lien secures.")
    position = models.PositiveSmallIntegerField(
        default=1, help_text="1 for a first lien, 2 for a second, and so on."
    )
    status = models.CharField(
        max_length=24, choices=LienStatus.choices, default=LienStatus.TO_RECORD
    )
    recording_county = models.CharField(max_length=100, blank=True)
    instrument_number = models.CharField(max_length=60, blank=True)
    book = models.CharField(max_length=20, blank=True)
    page = models.CharField(max_length=20, blank=True)
    recorded_on = models.DateField(null=True, blank=True)
    recorded_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The lien as recorded by the county.",
    )
    subordinated_on = models.DateField(
        null=True, blank=True, help_text="When its position last moved behind a lender."
    )
    satisfaction_prepared_on = models.DateField(null=True, blank=True)
    satisfaction_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The satisfaction of lien, prepared for signature.",
    )
    satisfaction_instrument_number = models.CharField(max_length=60, blank=True)
    satisfied_on = models.DateField(
        null=True, blank=True, help_text="When the satisfaction was recorded."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[Lien]]
        _default_manager: ClassVar[models.Manager[Lien]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="lien_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="lien_position_gte_1"
            ),
            # A loan is secured by one lien at a time.
            models.UniqueConstraint(
                fields=["loan"],
                condition=~Q(status="satisfied"),
                name="lien_one_standing_per_loan",
            ),
        ]
        permissions = [
            ("record_lien", "Can record liens, subordinations and satisfactions"),
        ]

    def __str__(self) -> str:
        return f"Lien {self.reference} on {self.parcel.parcel_id}"

    @property
    def reference(self) -> str:
        return f"LN-{self.pk:06d}" if self.pk else "LN-new"

    @property
    def recording_reference(self) -> str:
        """Instrument number, or book and page, as the county gave them."""
        if self.instrument_number:
            return self.instrument_number
        if self.book or self.page:
            return f"Book {self.book}, page {self.page}"
        return ""

    def is_standing(self) -> bool:
        """Recorded on the property and not yet released."""
        return self.status in STANDING_LIEN_STATUSES

    def loan_is_paid(self) -> bool:
        """The loan it secures owes nothing: paid off (a written-off loan still
        owes what was written off, so its lien stands)."""
        return self.loan.status == LoanStatus.PAID_OFF

    # --- transitions (services in liens.services.liens) ---

    ACTIONS = ("record", "subordinate", "prepare_satisfaction", "satisfy")

    def _acting(self, actor: Any, states: set[str], verb: str) -> Verdict:
        return first_refusal(
            has_perm(actor, "liens.record_lien", doing="record liens"),
            in_state(self, states, verb=verb, what=f"Lien {self.reference}"),
        )

    def can_record(self, actor: Any) -> Verdict:
        return self._acting(actor, {LienStatus.TO_RECORD}, "recorded")

    def can_subordinate(self, actor: Any) -> Verdict:
        return self._acting(
            actor, {LienStatus.RECORDED, LienStatus.SUBORDINATED}, "subordinated"
        )

    def can_prepare_satisfaction(self, actor: Any) -> Verdict:
        verdict = self._acting(
            actor,
            {LienStatus.RECORDED, LienStatus.SUBORDINATED},
            "given a satisfaction",
        )
        if verdict and not self.loan_is_paid():
            return refuse(
                f"Loan {self.loan.number} still has a balance; its lien can't be "
                "satisfied until it is paid off."
            )
        return verdict

    def can_satisfy(self, actor: Any) -> Verdict:
        verdict = self._acting(actor, {LienStatus.SATISFACTION_PENDING}, "satisfied")
        if verdict and not self.loan_is_paid():
            return refuse(
                f"Loan {self.loan.number} still has a balance; its lien can't be "
                "satisfied until it is paid off."
            )
        return verdict

    def satisfied_between(self, start: date, end: date) -> bool:
        return self.satisfied_on is not None and start <= self.satisfied_on <= end
