"""Placeholder: replaced by the exports branch (XLSX + CSV per section + PDF
summary). This minimal version writes one CSV per section, with its SHA-256,
so the filing workflow has files to freeze until the real one merges."""

from __future__ import annotations

import csv
import hashlib
import io
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


def write_files(run: ReportRun, result: ReportResult) -> list[ReportFile]:
    files = []
    for section in result.sections:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([column.title for column in section.columns])
        for row in section.rows:
            writer.writerow([_cell(row.get(column.key)) for column in section.columns])
        data = out.getvalue().encode("utf-8")
        name = f"{run.kind}-{run.period}-v{run.version}-{section.key}.csv"
        report_file = ReportFile(
            run=run,
            format=FileFormat.CSV,
            section=section.key,
            name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
        )
        report_file.file.save(name, ContentFile(data), save=False)
        report_file.save()
        files.append(report_file)
    return files
