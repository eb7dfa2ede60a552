"""Report runs: one generated version of one report for one period.

A run is generated (figures frozen, files written), reviewed by a second
person (four-eyes), then filed; a filed run never changes (the model, the
services, the back office and the API all refuse). Filing the same period
again makes a new version that amends the last filed one and lists what
changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from portal.audit import audited_history
from portal.private_storage import private_storage
from portal.transitions import Verdict, first_refusal, has_perm, in_state, refuse
from regulatory_reports.choices import FileFormat, GLRole, ReportStatus

PREPARE = "regulatory_reports.prepare_report"
REVIEW = "regulatory_reports.review_report"
FILED_IS_FINAL = "{run} is filed: nothing about a filed report can change."
GL_CODE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
    "An account code is digits and letters, with dots or dashes between them "
    "(e.g. 1310 or 100-1310-00).",
)
SUPERSEDED = "{run} was superseded by version {latest}; review and file that one."


class FiledReportError(ValidationError):
    """A change to a filed run or to one of its files."""


class ReportRunQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse filed runs too (save() is not the only
    way to a row)."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=ReportStatus.FILED).exists():
            raise FiledReportError("Filed reports can't change.")
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(status=ReportStatus.FILED).exists():
            raise FiledReportError("Filed reports can't change.")
        return super().delete()


class ReportFileQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(run__status=ReportStatus.FILED).exists():
            raise FiledReportError("The files of a filed report can't change.")
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(run__status=ReportStatus.FILED).exists():
            raise FiledReportError("The files of a filed report can't change.")
        return super().delete()


class ReportRun(models.Model):
    kind = models.CharField(max_length=30)
    period = models.CharField(max_length=10, help_text="2026-07, 2026-Q3 or FY2026")
    start = models.DateField()
    end = models.DateField()
    version = models.PositiveSmallIntegerField(default=1)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        help_text="The filed version this one amends.",
    )
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="What changed since the version this one amends (loans, figures).",
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.GENERATED
    )
    # The figures as the API returns them (amounts as two-decimal strings).
    figures = models.JSONField(default=dict)
    # Per section, per loan: row count and the sums of its money and int
    # columns, so an amendment can say which loans changed.
    loan_figures = models.JSONField(default=dict, blank=True)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audited_history()
    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "version"], name="report_run_one_version"
            ),
        ]
        permissions = [
            ("prepare_report", "Can prepare regulatory reports"),
            ("review_report", "Can review regulatory reports"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period} v{self.version}"

    @property
    def title(self) -> str:
        from regulatory_reports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.title if kind else self.kind

    def is_filed(self) -> bool:
        return self.status == ReportStatus.FILED

    def latest_version(self) -> int:
        latest = (
            ReportRun.objects.filter(kind=self.kind, period=self.period)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        return latest or self.version

    def _current(self) -> Verdict:
        """Only the newest version of a period moves on: a regeneration
        supersedes an unfiled run (which stays, for the record)."""
        latest = self.latest_version()
        if latest > self.version:
            return refuse(SUPERSEDED.format(run=self, latest=latest))
        return Verdict(True)

    def can_review(self, actor: Any) -> Verdict:
        verdict = first_refusal(
            has_perm(actor, REVIEW, doing="review reports"),
            in_state(self, {ReportStatus.GENERATED}, verb="reviewed", what=str(self)),
        )
        if verdict and self.generated_by_id == getattr(actor, "pk", None):
            return refuse("The person who generated a report can't review it.")
        return first_refusal(verdict, self._current()) if verdict else verdict

    def can_file(self, actor: Any) -> Verdict:
        verdict = first_refusal(
            has_perm(actor, REVIEW, doing="file reports"),
            in_state(self, {ReportStatus.REVIEWED}, verb="filed", what=str(self)),
        )
        return first_refusal(verdict, self._current()) if verdict else verdict

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012
        # A filed row never changes: compare with what the database holds
        # (not with this instance, which may have been edited in memory).
        if self.pk is not None and not self._state.adding:
            stored = ReportRun.objects.filter(pk=self.pk).values("status").first()
            if stored is not None and stored["status"] == ReportStatus.FILED:
                raise FiledReportError(FILED_IS_FINAL.format(run=self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and (
            ReportRun.objects.filter(pk=self.pk, status=ReportStatus.FILED).exists()
        ):
            raise FiledReportError(FILED_IS_FINAL.format(run=self))
        return super().delete(*args, **kwargs)


def report_file_upload_to(instance: ReportFile, filename: str) -> str:
    run = instance.run
    return f"reports/{run.kind}/{run.period}/v{run.version}/{filename}"


class ReportFile(models.Model):
    """A file generated for a run, with its SHA-256 (frozen when filed)."""

    run = models.ForeignKey(ReportRun, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=5, choices=FileFormat.choices)
    section = models.CharField(
        max_length=40, blank=True, help_text="CSV: which section."
    )
    file = models.FileField(upload_to=report_file_upload_to, storage=private_storage)
    name = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    history = audited_history()
    objects = ReportFileQuerySet.as_manager()

    class Meta:
        ordering = ["run", "format", "section"]

    def __str__(self) -> str:
        return self.name

    def _run_is_filed(self) -> bool:
        return ReportRun.objects.filter(
            pk=self.run_id, status=ReportStatus.FILED
        ).exists()

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012
        if self._run_is_filed():
            raise FiledReportError(FILED_IS_FINAL.format(run=self.run))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._run_is_filed():
            raise FiledReportError(FILED_IS_FINAL.format(run=self.run))
        return super().delete(*args, **kwargs)


class GLAccount(models.Model):
    """The city's general-ledger account for one role of the loans' journal
    export (`regulatory_reports.kinds.gl_journal`). Supervisors change the
    codes in the back office; the export reads them when it is generated."""

    role = models.CharField(max_length=30, choices=GLRole.choices, unique=True)
    code = models.CharField(
        max_length=30,
        validators=[GL_CODE],
        help_text="The account's number in the city's financial system, e.g. 1310 "
        "or 100-1310-00 (digits, letters, dots and dashes).",
    )
    name = models.CharField(max_length=100)
    active = models.BooleanField(
        default=True,
        help_text="The journal export is refused while an account it needs is "
        "inactive.",
    )

    history = audited_history()

    class Meta:
        ordering = ["code"]
        verbose_name = "GL account"
        verbose_name_plural = "GL accounts"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
