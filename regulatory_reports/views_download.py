"""Report kinds offered for reading from another app's menu, as a workbook
built on the spot for a period (Programs › Program report (XLSX)): the
kind's own figures and the runs' XLSX writer, without a run (a report to
file is generated under Reports)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from regulatory_reports.exports import download_xlsx
from regulatory_reports.periods import fiscal_year_start_month, period_bounds

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FOUR_DIGITS = "Enter the fiscal year as four digits, e.g. 2026."


def current_fiscal_year(today: date) -> int:
    """The fiscal year `today` falls in (FY2027 starts in October 2026 when
    the year starts in October)."""
    start = fiscal_year_start_month()
    return today.year + 1 if start != 1 and today.month >= start else today.year


def program_report_download(request: Any) -> Any:
    """The program report of a period as XLSX: `?period=2026-Q3`, or
    `?fiscal_year=2026` (FY2026), by default this fiscal year to date."""
    if not request.user.has_perm("programs.view_program"):
        raise PermissionDenied
    asked = request.GET.get("fiscal_year", "").strip()
    text = request.GET.get("period", "").strip()
    if asked and not (asked.isascii() and asked.isdigit() and len(asked) == 4):
        messages.error(request, FOUR_DIGITS)
        return redirect("programs:index")
    if not text:
        text = f"FY{asked or current_fiscal_year(timezone.localdate())}"
    try:
        period = period_bounds(text)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:index")
    content = download_xlsx(kind="program", period=period, user=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="program-report-{period.label}.xlsx"'
    )
    return response
