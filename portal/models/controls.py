"""Controls: approval limits per role (four-eyes).

API tokens for service accounts are Wagtail's own `wagtail.models.APIToken`.

In the back office: Settings > Approval limits (read-only) and Settings >
Approval limit changes (propose; a second person approves).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone

from djmoney.models.fields import MoneyField

from portal.audit import audited_history
from portal.choices import ApprovalAction
from portal.transitions import (
    SAME_PERSON,
    Verdict,
    first_refusal,
    has_perm,
    in_state,
    refuse,
)


class ApprovalLimit(models.Model):
    """The largest amount a role may approve for one kind of decision.

    A user's limit for an action is the highest limit of any of their groups;
    no row means the role may not approve that action at all.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=ApprovalAction.choices)
    max_amount = MoneyField(
        max_digits=14,
        decimal_places=2,
        default_currency="USD",
        help_text="Approvals up to and including this amount.",
    )

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[ApprovalLimit]]
        _default_manager: ClassVar[models.Manager[ApprovalLimit]]

    class Meta:
        ordering = ["action", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "action"], name="approval_limit_one_per_role_action"
            ),
            models.CheckConstraint(
                condition=Q(max_amount__gte=0), name="approval_limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.name}: {self.get_action_display()} up to {self.max_amount}"


class LimitChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    APPROVED = "approved", "Approved and in force"
    REJECTED = "rejected", "Rejected"


class ApprovalLimitChange(models.Model):
    """A proposed change to a role's approval limit.

    The limits are what four-eyes approvals are judged against, so changing
    one is itself a four-eyes action: one person proposes, another (with the
    "approve limit changes" permission) approves, and only then does the
    ApprovalLimit row change.
    """

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=ApprovalAction.choices)
    new_amount = MoneyField(
        max_digits=14,
        decimal_places=2,
        default_currency="USD",
        help_text="The new ceiling: approvals up to and including this amount.",
    )
    previous_amount = MoneyField(
        max_digits=14,
        decimal_places=2,
        default_currency="USD",
        null=True,
        blank=True,
        help_text="The ceiling when the change was proposed (empty: none).",
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=10,
        choices=LimitChangeStatus.choices,
        default=LimitChangeStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    history = audited_history()

    if TYPE_CHECKING:
        # djmoney's runtime manager class: see portal.models.Customer.
        objects: ClassVar[models.Manager[ApprovalLimitChange]]
        _default_manager: ClassVar[models.Manager[ApprovalLimitChange]]

    ACTIONS = ("approve", "reject")

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_amount__gte=0), name="limit_change_not_negative"
            ),
        ]
        permissions = [
            ("approve_approvallimitchange", "Can approve changes to approval limits"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.group.name}: {self.get_action_display()} up to "
            f"{self.new_amount} ({self.get_status_display().lower()})"
        )

    def _decide(self, actor: Any, verb: str) -> Verdict:
        verdict = first_refusal(
            has_perm(
                actor,
                "portal.approve_approvallimitchange",
                doing="approve changes to approval limits",
            ),
            in_state(
                self,
                {LimitChangeStatus.PROPOSED},
                verb=verb,
                what="This limit change",
            ),
        )
        if verdict and actor.pk == self.proposed_by_id:
            return refuse(SAME_PERSON)
        return verdict

    def can_approve(self, actor: Any) -> Verdict:
        return self._decide(actor, "approved")

    def can_reject(self, actor: Any) -> Verdict:
        return self._decide(actor, "rejected")
