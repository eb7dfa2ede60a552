"""Placeholder: replaced by the exports branch (XLSX + CSV per section + PDF
summary). This minimal version writes one CSV per section, with its SHA-256,
so the filing workflow has files to freeze until the real one merges."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile

from regulatory_reports.choices import FileFormat
from regulatory_reports.kinds import ReportResult
from regulatory_reports.models import ReportFile, ReportRun


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Never a formula when opened in a spreadsheet.
    return (
        "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text
    )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _save(run: ReportRun, fmt: str, section: str, name: str, data: bytes) -> ReportFile:
    report_file = ReportFile(
        run=run,
        format=fmt,
        section=section,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )
    report_file.file.save(name, ContentFile(data), save=False)
    report_file.save()
    return report_file


def _workbook(result: ReportResult) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for section in result.sections:
        sheet = book.create_sheet(section.title[:31])
        sheet.append([column.title for column in section.columns])
        for row in section.rows:
            sheet.append([_cell(row.get(column.key)) for column in section.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_files(run: ReportRun, result: ReportResult) -> list[ReportFile]:
    result.sections = [
        replace(section, rows=list(section.rows)) for section in result.sections
    ]
    base = f"{run.kind}-{run.period}-v{run.version}"
    files = [_save(run, FileFormat.XLSX, "", f"{base}.xlsx", _workbook(result))]
    for section in result.sections:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([column.title for column in section.columns])
        for row in section.rows:
            writer.writerow([_cell(row.get(column.key)) for column in section.columns])
        data = out.getvalue().encode("utf-8")
        name = f"{base}-{section.key}.csv"
        files.append(_save(run, FileFormat.CSV, section.key, name, data))
    return files
