"""What the office did to collect a delinquent loan: letters, calls, visits,
promises to pay, arrangements, referrals, judgments, write-offs and State
guarantee claims, each recorded with who, when, how and what came of it.

Actions are the collection history an auditor and the PSC report read, so
they are records, not drafts: services in loans.services.collections create
them, and the only later change is a promise's kept/broken verdict.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from loans.choices import ActionChannel, ActionType, PromiseStatus
from loans.models.book import amount_field
from portal.audit import audited_history


class CollectionAction(models.Model):
    loan = models.ForeignKey(
        "loans.Loan", on_delete=models.PROTECT, related_name="collection_actions"
    )
    type = models.CharField(max_length=20, choices=ActionType.choices)
    date = models.DateField(help_text="When it was done (never in the future).")
    channel = models.CharField(max_length=10, choices=ActionChannel.choices)
    outcome = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A promise to pay: the customer will pay at least this much by this date.
    promise_amount = amount_field(null=True, blank=True)
    promise_date = models.DateField(null=True, blank=True)
    promise_status = models.CharField(
        max_length=10, choices=PromiseStatus.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = audited_history()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["loan", "-date"], name="action_loan_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(promise_amount__isnull=True) | Q(promise_amount__gt=0),
                name="action_promise_positive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(promise_amount__isnull=True, promise_date__isnull=True)
                    | Q(promise_amount__isnull=False, promise_date__isnull=False)
                ),
                name="action_promise_amount_and_date_together",
            ),
        ]
        permissions = [("record_collection_action", "Can record collection actions")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.date:%b %-d, %Y}"

    def is_promise(self) -> bool:
        return self.promise_amount is not None
