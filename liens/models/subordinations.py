"""Subordination requests from lending institutions, and the rules (data)
a request is reviewed against.

A lender refinancing the customer's mortgage asks the utility to stand
behind the new mortgage. Request life: received → in review → approved /
denied → agreement recorded (or withdrawn before a decision). Each step is
a `can_<action>` predicate here and a service in
`liens.services.subordinations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from liens.choices_subordinations import (
    SubordinationPurpose,
    SubordinationRuleCode,
    SubordinationSource,
    SubordinationStatus,
)
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
REVIEW_PERMISSION = "liens.review_subordination"
APPROVE_PERMISSION = "liens.approve_subordination"

NOT_MATCHED = "Match the request to one of our liens before reviewing it."
NO_AGREEMENT = "Generate the subordination agreement before recording it."


class SubordinationRule(models.Model):
    """One rule a request must pass before approval. Rules are data: a
    supervisor may turn one off or change the CLTV threshold."""

    code = models.CharField(
        max_length=20, choices=SubordinationRuleCode.choices, unique=True
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    threshold_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For the combined loan-to-value rule: the highest CLTV % allowed.",
    )
    is_active = models.BooleanField("active", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = audited_history()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__isnull=True)
                | Q(threshold_percent__gt=0),
                name="subordination_rule_threshold_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubordinationRequest(models.Model):
    """A lender's request that our lien stand behind its new loan."""

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    lien = models.ForeignKey(
        "liens.Lien",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordination_requests",
        help_text="Our lien, once staff have matched the request to it.",
    )
    institution = models.CharField("lending institution", max_length=200)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField("contact e-mail")
    contact_phone = models.CharField(max_length=40, blank=True)
    property_text = models.CharField(
        "property address or parcel (as submitted)", max_length=300
    )
    borrower_name = models.CharField("borrower (as submitted)", max_length=200)
    new_loan_amount = MoneyField(**MONEY)
    purpose = models.CharField(max_length=24, choices=SubordinationPurpose.choices)
    appraised_value = MoneyField(**MONEY)
    senior_liens_total = MoneyField(
        **MONEY,
        help_text="Balances of the existing liens that will be senior to ours "
        "(not counting the new loan).",
    )
    fee_paid = models.BooleanField(default=False)
    fee_paid_on = models.DateField(null=True, blank=True)
    fee_amount = MoneyField(**MONEY, null=True, blank=True)
    documents = models.ManyToManyField("portal.Document", blank=True, related_name="+")
    source = models.CharField(max_length=12, choices=SubordinationSource.choices)
    status = models.CharField(
        max_length=12,
        choices=SubordinationStatus.choices,
        default=SubordinationStatus.RECEIVED,
    )
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    matched_on = models.DateField(null=True, blank=True)
    review_started_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    denied_on = models.DateField(null=True, blank=True)
    agreement_generated_on = models.DateField(null=True, blank=True)
    recorded_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    denial_reason = models.TextField(blank=True)
    instrument_number = models.CharField(max_length=60, blank=True)
    new_position = models.PositiveSmallIntegerField(null=True, blank=True)
    agreement_document = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denial_letter = models.ForeignKey(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who reviewed the request and put it forward.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audited_history()

    if TYPE_CHECKING:
        objects: ClassVar[models.Manager[SubordinationRequest]]
        _default_manager: ClassVar[models.Manager[SubordinationRequest]]

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_loan_amount__gt=0),
                name="subordination_new_loan_positive",
            ),
            models.CheckConstraint(
                condition=Q(appraised_value__gt=0),
                name="subordination_appraised_positive",
            ),
            models.CheckConstraint(
                condition=Q(senior_liens_total__gte=0),
                name="subordination_senior_liens_not_negative",
            ),
        ]
        permissions = [
            ("review_subordination", "Can review subordination requests"),
            ("approve_subordination", "Can approve or deny subordination requests"),
        ]

    def __str__(self) -> str:
        return f"Subordination request {self.reference or 'new'}"

    @property
    def label(self) -> str:
        return f"Request {self.reference}"

    # --- transitions (services in liens.services.subordinations) ---

    ACTIONS = (
        "match",
        "start_review",
        "approve",
        "deny",
        "generate_agreement",
        "record",
        "withdraw",
    )

    def _acting(
        self, actor: Any, permission: str, states: set[str], verb: str
    ) -> Verdict:
        return first_refusal(
            has_perm(actor, permission, doing="work on subordination requests")
            if permission == REVIEW_PERMISSION
            else has_perm(actor, permission, doing="decide subordination requests"),
            in_state(self, states, verb=verb, what=self.label),
        )

    def can_match(self, actor: Any) -> Verdict:
        return self._acting(
            actor,
            REVIEW_PERMISSION,
            {SubordinationStatus.RECEIVED, SubordinationStatus.IN_REVIEW},
            "matched to a lien",
        )

    def can_start_review(self, actor: Any) -> Verdict:
        verdict = self._acting(
            actor, REVIEW_PERMISSION, {SubordinationStatus.RECEIVED}, "put in review"
        )
        if verdict and self.lien_id is None:
            return refuse(NOT_MATCHED)
        return verdict

    def can_approve(self, actor: Any) -> Verdict:
        """State, role and preparer here; the rules and the approval limit
        are checked by the service (and shown on the request's page)."""
        verdict = self._acting(
            actor, APPROVE_PERMISSION, {SubordinationStatus.IN_REVIEW}, "approved"
        )
        if (
            verdict
            and self.prepared_by_id is not None
            and actor.pk == self.prepared_by_id
        ):
            return refuse(SAME_PERSON)
        return verdict

    def can_deny(self, actor: Any) -> Verdict:
        return self._acting(
            actor,
            APPROVE_PERMISSION,
            {SubordinationStatus.RECEIVED, SubordinationStatus.IN_REVIEW},
            "denied",
        )

    def can_generate_agreement(self, actor: Any) -> Verdict:
        return self._acting(
            actor,
            REVIEW_PERMISSION,
            {SubordinationStatus.APPROVED},
            "given an agreement",
        )

    def can_record(self, actor: Any) -> Verdict:
        verdict = self._acting(
            actor, REVIEW_PERMISSION, {SubordinationStatus.APPROVED}, "recorded"
        )
        if verdict and self.agreement_document_id is None:
            return refuse(NO_AGREEMENT)
        if verdict and self.lien is not None:
            return self.lien.can_subordinate(actor)
        return verdict

    def can_withdraw(self, actor: Any) -> Verdict:
        return self._acting(
            actor,
            REVIEW_PERMISSION,
            {SubordinationStatus.RECEIVED, SubordinationStatus.IN_REVIEW},
            "withdrawn",
        )
