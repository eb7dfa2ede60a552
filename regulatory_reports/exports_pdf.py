"""The summary page as a PDF: the cover letter a supervisor signs and files
with the Public Service Commission (WeasyPrint, like the loan documents).

It names the utility and office, the report, the period, the version (and
the one it amends), the status, who generated, reviewed and filed it and
when, the summary lines, the files that go with it (each with its SHA-256,
so the Commission can check it received exactly what was filed), and a
signature line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from weasyprint import HTML

from portal.models import OfficeSettings
from portal.templatetags.portal_format import (
    day_text,
    moment_text,
    money_text,
    person_text,
)
from regulatory_reports.kinds import ColumnType, ReportResult
from regulatory_reports.models import ReportRun

TEMPLATE = "regulatory_reports/summary_pdf.html"
NOT_YET = "not yet"


@dataclass(frozen=True)
class Attachment:
    name: str
    size_bytes: int
    sha256: str


def summary_value(kind: ColumnType, value: Any) -> str:
    """A summary line's value as people read it: $1,234.56, words for dates."""
    if value is None or value == "":
        return "—"
    if kind == "money":
        return money_text(value)
    if kind == "date":
        return day_text(value)
    if kind == "int":
        return f"{int(value):,}"
    if kind == "quantity":
        return f"{Decimal(str(value)):,}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _who(user: Any, when: Any) -> str:
    if when is None:
        return NOT_YET
    return f"{person_text(user)}, {moment_text(when)}"


def summary_html(
    run: ReportRun, result: ReportResult, attachments: Sequence[Attachment] = ()
) -> str:
    office = OfficeSettings.current()
    return render_to_string(
        TEMPLATE,
        {
            "utility_name": office.display_utility_name,
            "office": office,
            "office_lines": office.address_lines(),
            "run": run,
            "title": run.title,
            "period": f"{run.period}, {day_text(run.start)} to {day_text(run.end)}",
            "amends": run.amends,
            "status": run.get_status_display(),
            "generated": _who(run.generated_by, run.generated_at),
            "reviewed": _who(run.reviewed_by, run.reviewed_at),
            "filed": _who(run.filed_by, run.filed_at),
            "lines": [
                (str(label), summary_value(kind, value), kind)
                for label, value, kind in result.summary
            ],
            "attachments": attachments,
        },
    )


def summary_pdf_bytes(
    run: ReportRun, result: ReportResult, attachments: Sequence[Attachment] = ()
) -> bytes:
    pdf: bytes = HTML(string=summary_html(run, result, attachments)).write_pdf()
    return pdf
