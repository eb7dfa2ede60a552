"""The record of each nightly aging run: for which date, who or what started
it, how the open loans stood (counts per days-past-due bucket), the late fees
it charged and the status changes it made, and how long it took.

Runs are facts once finished: loans.services.aging.aging_run is their one
writer. In the back office: Loans › Aging runs (read-only).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from loans.models.book import amount_field
from loans.schedule import DPD_BUCKETS
from portal.audit import audited_history


class AgingTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Nightly schedule"
    API = "api", "API"
    COMMAND = "command", "Command line"
    BACK_OFFICE = "back_office", "Back office"
    DEMO = "demo", "Demo data"


class AgingRun(models.Model):
    as_of = models.DateField("as of")
    trigger = models.CharField(
        "started by", max_length=12, choices=AgingTrigger.choices
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="person",
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    loans = models.PositiveIntegerField("open loans", default=0)
    # Bucket label (loans.schedule.DPD_BUCKETS) -> number of loans in it.
    buckets = models.JSONField(default=dict)
    late_fees_count = models.PositiveIntegerField("late fees charged", default=0)
    late_fees_amount = amount_field(
        verbose_name="late fees amount", default=Decimal("0.00")
    )
    to_delinquent = models.PositiveIntegerField("became delinquent", default=0)
    to_active = models.PositiveIntegerField("back to current", default=0)
    to_defaulted = models.PositiveIntegerField("defaulted", default=0)
    to_matured = models.PositiveIntegerField("matured with a balance", default=0)
    # Where the loans stand as of the date (not what this run changed): a
    # re-run for the same date gives the same figures.
    defaulted_loans = models.PositiveIntegerField("loans in default", default=0)
    matured_loans = models.PositiveIntegerField(
        "loans matured with a balance", default=0
    )
    statuses_kept = models.BooleanField(
        default=False,
        help_text="A run for a date before an earlier run's date charges fees "
        "but leaves the statuses, which already reflect the later date.",
    )

    history = audited_history()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["as_of"], name="aging_run_as_of")]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_fees_amount__gte=0), name="aging_run_fees_not_negative"
            ),
        ]
        permissions = [("run_aging", "Can run aging (the nightly loan job)")]

    def __str__(self) -> str:
        return f"Aging as of {self.as_of:%B %-d, %Y}"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def bucket_counts(self) -> dict[str, int]:
        """Every bucket in table order, zero when none."""
        return {name: int(self.buckets.get(name, 0)) for name in DPD_BUCKETS}

    def transitions(self) -> dict[str, int]:
        return {
            "delinquent": self.to_delinquent,
            "active": self.to_active,
            "defaulted": self.to_defaulted,
            "matured": self.to_matured,
        }

    def is_finished(self) -> bool:
        return self.finished_at is not None

    # --- words for the back office ---

    def buckets_in_words(self) -> str:
        from loans.words import dpd_bucket_words

        return "; ".join(
            f"{dpd_bucket_words(name)}: {count:,}"
            for name, count in self.bucket_counts().items()
        )

    buckets_in_words.short_description = "Loans by days past due"  # type: ignore[attr-defined]

    def transitions_in_words(self) -> str:
        return (
            f"{self.to_delinquent:,} became delinquent, {self.to_active:,} current "
            f"again, {self.to_defaulted:,} defaulted, {self.to_matured:,} matured"
        )

    transitions_in_words.short_description = "Status changes"  # type: ignore[attr-defined]

    def duration_in_words(self) -> str:
        took = self.duration
        if took is None:
            return "not finished"
        return f"{took.total_seconds():.1f} seconds"

    duration_in_words.short_description = "Took"  # type: ignore[attr-defined]
