"""Deposit decisions for new service with old debt: a customer asking for
service who owes a delinquent bill not yet turned over to bad debt gets a
deposit requirement (amount and kind of instrument) that staff propose and a
supervisor approves (four-eyes, within the "deposit" approval limit) or
rejects with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices import InstrumentType
from portal.audit import audited_history
from portal.transitions import (
    SAME_PERSON,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "USD"}


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class DepositDecision(models.Model):
    account = models.ForeignKey(
        "portal.UtilityAccount",
        on_delete=models.PROTECT,
        related_name="deposit_decisions",
        help_text="The account with the delinquent bill.",
    )
    customer = models.ForeignKey(
        "portal.Customer", on_delete=models.PROTECT, related_name="deposit_decisions"
    )
    delinquent_amount = MoneyField(
        "delinquent bill owed",
        help_text="The account's delinquent balance when proposed.",
        **MONEY,
    )
    deposit_required = MoneyField("deposit required", **MONEY)
    instrument_type = models.CharField(
        "instrument required", max_length=24, choices=InstrumentType.choices
    )
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[DepositDecision]]
        _default_manager: ClassVar[models.Manager[DepositDecision]]

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        verbose_name = "deposit decision"
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_required__gt=0),
                name="deposit_decision_amount_positive",
            ),
        ]
        permissions = [
            ("propose_deposit_decision", "Can propose deposit decisions"),
            ("decide_deposit_decision", "Can approve or reject deposit decisions"),
        ]

    def __str__(self) -> str:
        return f"Deposit decision {self.reference}"

    @property
    def reference(self) -> str:
        return f"DD-{self.pk:06d}" if self.pk else "DD-new"

    def _decide(self, actor: Any, verb: str) -> Verdict:
        return first_refusal(
            has_perm(
                actor,
                "liens.decide_deposit_decision",
                doing="approve or reject deposit decisions",
            ),
            in_state(
                self,
                {DecisionStatus.PROPOSED},
                verb=verb,
                what=f"Deposit decision {self.reference}",
            ),
        )

    def can_approve(self, actor: Any) -> Verdict:
        # The amount against the approver's limit is four_eyes_check's, in
        # the service; the same-person refusal is shown on the page too.
        verdict = self._decide(actor, "approved")
        if verdict and actor.pk == self.prepared_by_id:
            return refuse(SAME_PERSON)
        return verdict

    def can_reject(self, actor: Any) -> Verdict:
        return self._decide(actor, "rejected")
