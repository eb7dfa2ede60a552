"""The files of a report run: one XLSX, one CSV per section, the summary PDF.

`write_files(run=, result=)` reads each section's rows exactly once (a kind
may hand a generator over 250,000 payments) and streams every row into its
XLSX sheet and its CSV at the same time, into temporary files. Only when
every section is written and its totals check out are the files stored in
the run's private storage, each with the SHA-256 and size of the exact bytes
stored (`verify_file` re-reads them). The PDF cover lists the other files'
SHA-256s.

Names: `<kind>-<period>-v<version>.xlsx`, `…-v<version>-<section>.csv`,
`…-v<version>-summary.pdf`. Layouts: see exports_xlsx, exports_csv and
exports_pdf.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from portal.transitions import TransitionRefused
from regulatory_reports.choices import FileFormat
from regulatory_reports.exports_csv import SectionCsv
from regulatory_reports.exports_pdf import Attachment, summary_pdf_bytes
from regulatory_reports.exports_xlsx import RunWorkbook, SectionSheet
from regulatory_reports.kinds import (
    SUMMED,
    ReportError,
    ReportResult,
    Section,
    kind_for,
)
from regulatory_reports.models import FILED_IS_FINAL, ReportFile, ReportRun
from regulatory_reports.periods import Period

CHUNK = 1024 * 1024

__all__ = [
    "PreparedFiles",
    "csv_name",
    "download_xlsx",
    "pdf_name",
    "prepared_files",
    "verify_file",
    "write_files",
    "xlsx_bytes",
    "xlsx_name",
]


def base_name(run: ReportRun) -> str:
    return f"{run.kind}-{run.period}-v{run.version}"


def xlsx_name(run: ReportRun) -> str:
    return f"{base_name(run)}.xlsx"


def csv_name(run: ReportRun, section: Section) -> str:
    return f"{base_name(run)}-{section.key}.csv"


def pdf_name(run: ReportRun) -> str:
    return f"{base_name(run)}-summary.pdf"


def _check_totals(section: Section, sheet: SectionSheet) -> None:
    """The kind's totals must equal the sums of the rows just written (read
    after the rows: a kind may fill them in while its generator runs)."""
    columns = {column.key: column for column in section.columns}
    not_summable = [
        key
        for key in section.totals
        if key not in columns or columns[key].type not in SUMMED
    ]
    if not_summable:
        raise ReportError(
            f"The {section.title} totals name columns that are not amounts or "
            f"counts: {', '.join(not_summable)}."
        )
    wrong = [
        f"{column.title}: rows add up to {sheet.sums[column.key]:.2f}, "
        f"the report says {Decimal(section.totals[column.key]):.2f}"
        for column in section.columns
        if column.key in section.totals
        and Decimal(section.totals[column.key]) != sheet.sums[column.key]
    ]
    if wrong:
        raise ReportError(
            f"The {section.title} totals don't match their rows ("
            + "; ".join(wrong)
            + ")."
        )


RowObserver = Callable[[Section, dict[str, Any]], None]


def _stream(
    run: ReportRun,
    result: ReportResult,
    *,
    csv_target: Callable[[Section], IO[bytes] | None],
    on_row: RowObserver | None = None,
) -> RunWorkbook:
    """Write the Summary sheet, then each section's sheet (and CSV, when
    `csv_target` gives a file for it), reading each section's rows once;
    `on_row` sees every row as it is written (the per-loan figures of an
    amendment are tallied in the same pass, so no section is held in memory)."""
    book = RunWorkbook(run, result)
    try:
        book.summary()
        for section in result.sections:
            sheet = book.section_sheet(section)
            target = csv_target(section)
            out = SectionCsv(target, section.columns) if target is not None else None
            for row in section.rows:
                sheet.append(row)
                if out is not None:
                    out.append(row)
                if on_row is not None:
                    on_row(section, row)
            if out is not None:
                out.close()
            _check_totals(section, sheet)
            sheet.close(section.totals.keys())
    except BaseException:
        book.discard()
        raise
    return book


def xlsx_bytes(run: ReportRun, result: ReportResult) -> bytes:
    """The workbook alone, in memory (for a command's --output)."""
    book = _stream(run, result, csv_target=lambda section: None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_xlsx(*, kind: str, period: Period, user: Any) -> bytes:
    """A kind's workbook for any period (also one not yet ended: "to date"),
    built now and written by the same writer as a run's, with no run: nothing
    is stored, and the header says it is not a report run. For menus that
    offer a report to read (Programs › Program report), not to file."""
    run = ReportRun(
        kind=kind,
        period=period.label,
        start=period.start,
        end=period.end,
        generated_by=user,
        generated_at=timezone.now(),
    )
    result = kind_for(kind).build(start=period.start, end=period.end)
    return xlsx_bytes(run, result)


def _digest(handle: IO[bytes]) -> tuple[str, int]:
    handle.seek(0)
    sha, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return sha.hexdigest(), size


def _store(
    run: ReportRun, handle: IO[bytes], *, format: str, name: str, section: str = ""
) -> ReportFile:
    sha256, size = _digest(handle)
    report_file = ReportFile(
        run=run,
        format=format,
        section=section,
        name=name,
        sha256=sha256,
        size_bytes=size,
    )
    # The storage reads the same bytes that were just hashed.
    report_file.file.save(name, File(handle, name=name), save=False)
    report_file.save()
    return report_file


class PreparedFiles:
    """A run's files written to temporary files, not yet stored: the run
    may still be unsaved (its figures are completed from the same pass)."""

    def __init__(
        self,
        result: ReportResult,
        xlsx: IO[bytes],
        csvs: list[tuple[Section, IO[bytes]]],
    ) -> None:
        self.result = result
        self.xlsx = xlsx
        self.csvs = csvs

    def store(self, run: ReportRun) -> list[ReportFile]:
        """Store the XLSX, the CSVs and the summary PDF (in that order) in
        the run's private storage; the run must be saved by now."""
        stored: list[ReportFile] = []
        with transaction.atomic():
            stored.append(
                _store(run, self.xlsx, format=FileFormat.XLSX, name=xlsx_name(run))
            )
            for section, handle in self.csvs:
                stored.append(
                    _store(
                        run,
                        handle,
                        format=FileFormat.CSV,
                        name=csv_name(run, section),
                        section=section.key,
                    )
                )
            attachments = [Attachment(f.name, f.size_bytes, f.sha256) for f in stored]
            pdf = io.BytesIO(summary_pdf_bytes(run, self.result, attachments))
            stored.append(_store(run, pdf, format=FileFormat.PDF, name=pdf_name(run)))
        return stored


@contextmanager
def prepared_files(
    *, run: ReportRun, result: ReportResult, on_row: RowObserver | None = None
) -> Iterator[PreparedFiles]:
    """Write the run's XLSX and CSVs into a temporary folder (removed on
    leaving), reading every section's rows once.

    Raises ReportError (nothing written) when a section's totals don't equal
    its rows' sums; refuses a filed run, whose files are final."""
    if run.is_filed():
        raise TransitionRefused(FILED_IS_FINAL.format(run=run), code="filed")
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="report-"))
        csvs: list[tuple[Section, IO[bytes]]] = []

        def csv_target(section: Section) -> IO[bytes]:
            handle = stack.enter_context(open(f"{folder}/{len(csvs)}.csv", "w+b"))
            csvs.append((section, handle))
            return handle

        xlsx = stack.enter_context(open(f"{folder}/book.xlsx", "w+b"))
        _stream(run, result, csv_target=csv_target, on_row=on_row).save(xlsx)
        yield PreparedFiles(result, xlsx, csvs)


def write_files(*, run: ReportRun, result: ReportResult) -> list[ReportFile]:
    """Write and store the run's XLSX, CSVs and summary PDF (in that order).

    Raises ReportError (nothing stored) when a section's totals don't equal
    its rows' sums; refuses a filed run, whose files are final."""
    with prepared_files(run=run, result=result) as files:
        return files.store(run)


def verify_file(report_file: ReportFile) -> bool:
    """Whether the stored bytes still have the SHA-256 and size recorded when
    they were written (False when the file is missing)."""
    try:
        handle: Any = report_file.file.open("rb")
    except (FileNotFoundError, ValueError):
        return False
    with handle:
        sha256, size = _digest(handle)
    return sha256 == report_file.sha256 and size == report_file.size_bytes
