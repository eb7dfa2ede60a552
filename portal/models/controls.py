"""Controls: approval limits per role (four-eyes).

API tokens for service accounts are Wagtail's own `wagtail.models.APIToken`.

In the back office: Settings > Approval limits (administrators edit them).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q

from djmoney.models.fields import MoneyField

from portal.audit import audited_history
from portal.choices import ApprovalAction


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
