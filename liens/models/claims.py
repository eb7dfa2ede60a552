"""Claims against the insurer, surety or bank behind a bond or letter of
credit, for what an account left unpaid: filed → in negotiation → settled →
closed, or denied; with the correspondence that went back and forth.

The transitions are liens/services/claims.py; the predicates live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices import ClaimStatus, CorrespondenceDirection
from liens.models.deposits import MONEY, DepositInstrument
from portal.audit import audited_history
from portal.transitions import Verdict, first_refusal, has_perm, in_state

MANAGE = "liens.manage_deposit"


class DepositClaim(models.Model):
    instrument = models.ForeignKey(
        DepositInstrument, on_delete=models.PROTECT, related_name="claims"
    )
    account = models.ForeignKey(
        "portal.UtilityAccount", on_delete=models.PROTECT, related_name="+"
    )
    amount_claimed = MoneyField(**MONEY)
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.FILED
    )
    filed_on = models.DateField()
    negotiation_started_on = models.DateField(null=True, blank=True, editable=False)
    settlement_amount = MoneyField(null=True, blank=True, **MONEY)
    settled_on = models.DateField(null=True, blank=True, editable=False)
    amount_recovered = MoneyField(default=0, **MONEY)
    last_recovered_on = models.DateField(null=True, blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    denied_on = models.DateField(null=True, blank=True, editable=False)
    denial_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositClaim]]
        _default_manager: ClassVar[models.Manager[DepositClaim]]

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = "deposit claim"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_claimed__gt=0), name="deposit_claim_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__gte=0),
                name="deposit_claim_recovered_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(settlement_amount__isnull=True)
                | Q(amount_recovered__lte=F("settlement_amount")),
                name="deposit_claim_recovered_within_settlement",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.reference}"

    @property
    def reference(self) -> str:
        return f"CL-{self.pk:06d}" if self.pk else "CL-new"

    @property
    def outstanding(self) -> Any:
        """What the settlement still owes (None before a settlement)."""
        if self.settlement_amount is None:
            return None
        return self.settlement_amount - self.amount_recovered

    def _open(self, actor: Any, states: list[str], verb: str, doing: str) -> Verdict:
        return first_refusal(
            has_perm(actor, MANAGE, doing=doing), in_state(self, states, verb=verb)
        )

    def can_add_correspondence(self, actor: Any) -> Verdict:
        return self._open(
            actor,
            [ClaimStatus.FILED, ClaimStatus.IN_NEGOTIATION, ClaimStatus.SETTLED],
            "written about",
            "record claim correspondence",
        )

    def can_negotiate(self, actor: Any) -> Verdict:
        return self._open(
            actor, [ClaimStatus.FILED], "put into negotiation", "negotiate claims"
        )

    def can_settle(self, actor: Any) -> Verdict:
        return self._open(
            actor,
            [ClaimStatus.FILED, ClaimStatus.IN_NEGOTIATION],
            "settled",
            "settle claims",
        )

    def can_record_recovery(self, actor: Any) -> Verdict:
        verdict = self._open(
            actor, [ClaimStatus.SETTLED], "paid on", "record claim recoveries"
        )
        if verdict and self.outstanding is not None and self.outstanding.amount <= 0:
            return Verdict(
                False, f"The settlement of {self} is recovered in full; close it."
            )
        return verdict

    def can_close(self, actor: Any) -> Verdict:
        return self._open(actor, [ClaimStatus.SETTLED], "closed", "close claims")

    def can_deny(self, actor: Any) -> Verdict:
        return self._open(
            actor,
            [ClaimStatus.FILED, ClaimStatus.IN_NEGOTIATION],
            "denied",
            "record claim denials",
        )


class ClaimCorrespondence(models.Model):
    """A letter, e-mail or call with the insurer or surety about a claim."""

    claim = models.ForeignKey(
        DepositClaim, on_delete=models.PROTECT, related_name="correspondence"
    )
    on = models.DateField("date")
    direction = models.CharField(max_length=3, choices=CorrespondenceDirection.choices)
    summary = models.TextField()
    document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[ClaimCorrespondence]]
        _default_manager: ClassVar[models.Manager[ClaimCorrespondence]]

    class Meta:
        ordering = ["on", "pk"]
        verbose_name_plural = "claim correspondence"

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on {self.on}"
