"""The filing workflow of a report run: generate → review (a second person,
four-eyes) → file (final).

Versions: each generation for a kind and period is a new version (1, 2, …).
A generation while an unfiled run exists for the period supersedes it: the
older run stays, for the record, but only the newest version may be reviewed
or filed (`ReportRun.can_review` / `can_file`). Once a version is filed, a
new generation is an amendment: it `amends` the latest filed version and its
`changes` list which loans and which figures differ from it. Only filed
versions are immutable (the model refuses to change or delete them and their
files).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.audit import audit_context
from portal.controls import four_eyes_check
from portal.transitions import has_perm, locked, save_transition
from regulatory_reports.choices import ReportStatus
from regulatory_reports.exports import prepared_files
from regulatory_reports.kinds import KINDS, SUMMED, ReportError, Section, kind_for
from regulatory_reports.models import PREPARE, ReportRun
from regulatory_reports.periods import parse_period

UNKNOWN_KIND = "There is no report called “{kind}”."
NOT_GENERATED = "The report was not generated: {reason}"


class LoanTally:
    """Per section, per loan: its row count and the sums of its money and
    int columns (money as two-decimal strings) — what an amendment compares.
    Fed row by row while the files are written (`add` is the exports'
    `on_row`), so a section of 250,000 payments is never held in memory."""

    def __init__(self) -> None:
        self._tallies: dict[str, dict[str, dict[str, Any]]] = {}
        self._summed: dict[str, list[str]] = {}

    def add(self, section: Section, row: dict[str, Any]) -> None:
        if not section.loan_key:
            return
        summed = self._summed.get(section.key)
        if summed is None:
            summed = self._summed[section.key] = [
                c.key for c in section.columns if c.type in SUMMED
            ]
            self._tallies[section.key] = {}
        loan = str(row.get(section.loan_key, ""))
        tally = self._tallies[section.key].setdefault(loan, {"rows": 0})
        tally["rows"] += 1
        for key in summed:
            tally[key] = tally.get(key, 0) + (row.get(key) or 0)

    def figures(self, sections: Iterable[Section]) -> dict[str, dict[str, Any]]:
        """Every section with a loan key is present, empty ones included."""
        return {
            section.key: {
                loan: {k: _plain(v) for k, v in tally.items()}
                for loan, tally in self._tallies.get(section.key, {}).items()
            }
            for section in sections
            if section.loan_key
        }


def _plain(value: Any) -> Any:
    """A cell as JSON: amounts as two-decimal strings, dates ISO."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _flatten(figures: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(figures, dict):
        flat: dict[str, Any] = {}
        for key, value in figures.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: figures}


def report_changes(
    *,
    before_loans: dict[str, dict[str, Any]],
    after_loans: dict[str, dict[str, Any]],
    before_figures: dict[str, Any],
    after_figures: dict[str, Any],
    titles: dict[str, str],
) -> list[dict[str, Any]]:
    """What an amendment changed: per section, the loans added, removed or
    with other figures; then each figure of the body that changed."""
    changes: list[dict[str, Any]] = []
    for section in sorted(set(before_loans) | set(after_loans)):
        old = before_loans.get(section, {})
        new = after_loans.get(section, {})
        title = titles.get(section, section)
        for loan in sorted(set(old) | set(new)):
            if loan not in old:
                change, text = "added", f"{title}: loan {loan} added."
                diff: dict[str, Any] = {}
            elif loan not in new:
                change, text = "removed", f"{title}: loan {loan} removed."
                diff = {}
            else:
                diff = {
                    key: {"from": old[loan].get(key), "to": new[loan].get(key)}
                    for key in sorted(set(old[loan]) | set(new[loan]))
                    if old[loan].get(key) != new[loan].get(key)
                }
                if not diff:
                    continue
                change = "changed"
                text = (
                    f"{title}: loan {loan} changed ("
                    + ", ".join(
                        f"{key} {d['from']} → {d['to']}" for key, d in diff.items()
                    )
                    + ")."
                )
            changes.append(
                {
                    "section": section,
                    "loan": loan,
                    "change": change,
                    "figures": diff,
                    "text": text,
                }
            )
    old_flat, new_flat = _flatten(before_figures), _flatten(after_figures)
    for key in sorted(set(old_flat) | set(new_flat)):
        if old_flat.get(key) != new_flat.get(key):
            changes.append(
                {
                    "figure": key,
                    "from": old_flat.get(key),
                    "to": new_flat.get(key),
                    "text": f"{key}: {old_flat.get(key)} → {new_flat.get(key)}.",
                }
            )
    return changes


@transaction.atomic
def report_generate(
    *, actor: Any, kind: str, period_text: str, today: date | None = None
) -> ReportRun:
    """Build the report for a period that has ended, freeze its figures as a
    new version and write its files. ValidationError on "period" for a bad or
    unfinished period, on "kind" for an unknown report, and naming the loans
    when the report must not be generated (e.g. it does not reconcile)."""
    if not (verdict := has_perm(actor, PREPARE, doing="prepare reports")):
        raise PermissionDenied(verdict.reason)
    if kind not in KINDS:
        raise ValidationError({"kind": UNKNOWN_KIND.format(kind=kind)})
    period = parse_period(period_text, today=today or timezone.localdate())
    report = kind_for(kind)
    try:
        result = report.build(start=period.start, end=period.end)
    except ReportError as error:
        raise ValidationError(
            {"__all__": NOT_GENERATED.format(reason=error)}, code="report_error"
        ) from None
    # Versions of one period are numbered under a lock on its runs, so two
    # generations at once can't take the same number (the unique constraint
    # is the last word).
    runs = ReportRun.objects.select_for_update().filter(kind=kind, period=period.label)
    latest = runs.order_by("-version").first()
    amended = runs.filter(status=ReportStatus.FILED).order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    run = ReportRun(
        kind=kind,
        period=period.label,
        start=period.start,
        end=period.end,
        version=version,
        amends=amended,
        figures=result.figures,
        generated_by=actor,
        generated_at=timezone.now(),
    )
    # The files are written first (the run not yet saved): the same single
    # pass over each section's rows tallies the per-loan figures.
    tally = LoanTally()
    try:
        with prepared_files(run=run, result=result, on_row=tally.add) as files:
            run.loan_figures = tally.figures(result.sections)
            if amended is not None:
                run.changes = report_changes(
                    before_loans=amended.loan_figures,
                    after_loans=run.loan_figures,
                    before_figures=amended.figures,
                    after_figures=result.figures,
                    titles={s.key: s.title for s in result.sections},
                )
            reason = f"{report.title} {period.label} version {version} generated"
            if amended is not None:
                reason += f", amending version {amended.version}"
            with audit_context(user=actor, reason=reason):
                run.save()
                files.store(run)
    except ReportError as error:
        raise ValidationError(
            {"__all__": NOT_GENERATED.format(reason=error)}, code="report_error"
        ) from None
    return run


@transaction.atomic
def report_review(*, actor: Any, run: ReportRun) -> ReportRun:
    """A second person checks the generated run (four-eyes)."""
    run = locked(ReportRun, run.pk, "review", actor)
    four_eyes_check(action="report_filing", preparer=run.generated_by, approver=actor)
    return save_transition(
        run,
        actor=actor,
        reason=f"{run} reviewed",
        status=ReportStatus.REVIEWED,
        stamp="reviewed_at",
        reviewed_by=actor,
    )


@transaction.atomic
def report_file(*, actor: Any, run: ReportRun) -> ReportRun:
    """File the reviewed run: from here nothing about it can change."""
    run = locked(ReportRun, run.pk, "file", actor)
    return save_transition(
        run,
        actor=actor,
        reason=f"{run} filed",
        status=ReportStatus.FILED,
        stamp="filed_at",
        filed_by=actor,
    )
