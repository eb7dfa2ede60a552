"""A customer's application being filled in on the public site.

In the customer area: My applications (drafts). Each step of the online loan
or rebate application saves its answers here, so the customer can leave and
resume later. Submitting hands the answers to the owning app's service
(loans or programs), which creates the real application in the same staff
workflow as one entered at the counter; the draft keeps a link to it.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal.audit import audited_history


class OnlineApplicationKind(models.TextChoices):
    LOAN = "loan", "Loan application"
    REBATE = "rebate", "Rebate application"


class OnlineApplication(models.Model):
    kind = models.CharField(max_length=10, choices=OnlineApplicationKind.choices)
    customer = models.ForeignKey(
        "portal.Customer", on_delete=models.CASCADE, related_name="online_applications"
    )
    step = models.CharField(
        max_length=30, blank=True, help_text="The last step the customer saved."
    )
    # The answers so far, keyed by step then field, as plain JSON values
    # (amounts as strings); read back through the step's form.
    data = models.JSONField(default=dict, blank=True)
    documents = models.ManyToManyField("portal.Document", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The application the submission created (loans.LoanApplication or
    # programs.RebateApplication): a generic link keeps the core free of
    # the apps that own those records.
    submitted_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_id = models.PositiveBigIntegerField(null=True, blank=True)
    submitted = GenericForeignKey("submitted_type", "submitted_id")
    submitted_reference = models.CharField(max_length=20, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["customer", "submitted_at"])]

    def __str__(self) -> str:
        what = self.get_kind_display()
        if self.submitted_reference:
            return f"{what} {self.submitted_reference}"
        return f"{what} (draft, started {self.created_at:%b %-d, %Y})"

    def is_draft(self) -> bool:
        return self.submitted_at is None
