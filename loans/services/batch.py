"""Batch payments from the cashiering/lockbox system, all or nothing.

File layout (CSV, UTF-8, or the first sheet of an XLSX workbook), one header
row then one payment per row; column order is free, extra columns are ignored:

| column        | example      | rule                                             |
| ------------- | ------------ | ------------------------------------------------ |
| loan_number   | EE-2026-0001 | an active (or defaulted) loan                    |
| amount        | 188.71       | dollars and cents, more than 0, no sub-cents     |
| received_on   | 2026-02-01   | ISO date (YYYY-MM-DD), not before disbursement   |
| method        | check        | cash, check, ach, card or on_bill                |
| reference     | LBX-000123   | unique per payment; a reference already posted   |
|               |              | to the same loan is reported as already posted   |

A lockbox file may carry each coupon's scan line instead of the loan number
(layout in loans/scanline.py): columns `scan_line, amount, received_on,
reference`, and `method` optional (a lockbox takes checks: empty is check).
The loan number is read from the scan line after its check digit is
verified; a bad check digit, or a scan line whose account is not the loan's,
refuses the row with its line number. A row may carry both, if they agree.

Every bad row is reported in one pass with its line number and reason: rows
that can't be read, and the posting rules' refusals (a reference posted with a
different payload, a date in the future or before disbursement, an
overpayment found by posting the good rows inside the transaction). If any
row is bad nothing is posted. A file whose rows were all posted before keeps
no batch record. Files above PORTAL_BATCH_MAX_BYTES are refused unread.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from loans.choices import OPEN_LOAN_STATUSES, PaymentMethod
from loans.models import Loan, PaymentBatch
from loans.scanline import ScanLine, parse_scan_line
from loans.services.payments import PaymentRequest, PostingRejected, payments_post
from portal.audit import audit_context
from portal.checks import identifier_problem
from portal.money import parse_money

COLUMNS = ["loan_number", "amount", "received_on", "method", "reference"]
# A lockbox file of coupons: the scan line names the loan; method may be left out.
SCAN_COLUMNS = ["scan_line", "amount", "received_on", "reference"]
LOCKBOX_METHOD = PaymentMethod.CHECK
MISSING_COLUMNS = (
    "The file has no column(s): {missing}. The header row must name: {columns} "
    "(or, for coupons read by the lockbox: {scan_columns})."
)
EMPTY_FILE = "The file has no payment rows."
TOO_LARGE = "The file is {size}; the largest batch file accepted is {limit}."
UNREADABLE = "The file could not be read as {kind}: {error}"


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class BatchResult:
    batch: PaymentBatch | None = None
    posted: int = 0
    already_posted: int = 0
    total: Decimal = Decimal("0.00")
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class BatchRejected(ValidationError):
    """Raised with every bad row; nothing was posted."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class _Row:
    line: int
    loan: Loan
    amount: Decimal
    received_on: date
    method: str
    reference: str


def read_rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs from a CSV or XLSX file; line 1 is the header."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ValidationError(UNREADABLE.format(kind="XLSX", error=error)) from None
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(c or "").strip().lower() for c in next(rows, [])]
        result = []
        for line, values in enumerate(rows, start=2):
            cells = ["" if v is None else _cell_text(v) for v in values]
            if any(cells):
                result.append((line, dict(zip(header, cells, strict=False))))
        return _check_header(header, result)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            UNREADABLE.format(kind="UTF-8 CSV", error=error)
        ) from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    result = []
    for values in reader:
        if any(v.strip() for v in values):
            result.append((reader.line_num, dict(zip(header, values, strict=False))))
    return _check_header(header, result)


def _cell_text(value: Any) -> str:
    if isinstance(value, float):
        # Spreadsheets store 188.71 as a float; repr keeps its shortest exact text.
        return repr(value)
    if hasattr(value, "date") and callable(value.date):
        day: date = value.date()  # a datetime cell
        return day.isoformat()
    return str(value).strip()


def _check_header(
    header: list[str], rows: list[tuple[int, dict[str, str]]]
) -> list[tuple[int, dict[str, str]]]:
    missing = [c for c in COLUMNS if c not in header]
    if missing and "scan_line" in header:
        missing = [c for c in SCAN_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            MISSING_COLUMNS.format(
                missing=", ".join(missing),
                columns=", ".join(COLUMNS),
                scan_columns=", ".join(SCAN_COLUMNS),
            )
        )
    if not rows:
        raise ValidationError(EMPTY_FILE)
    return rows


def _check(
    rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[_Row], list[RowError]]:
    """Read each row's fields (loan, amount, date, method, reference); what
    the posting rules say about a readable row is payments_post's to report."""
    errors: list[RowError] = []
    scanned = _scan_lines(rows)
    numbers = {(r.get("loan_number") or "").strip() for _, r in rows}
    numbers |= {s.loan_number for s in scanned.values() if isinstance(s, ScanLine)}
    # Only well-formed numbers reach the database (a NUL would make
    # PostgreSQL refuse the whole query).
    wellformed = {n for n in numbers if n and not identifier_problem(n, "")}
    loans = {loan.number: loan for loan in Loan.objects.filter(number__in=wellformed)}
    seen: dict[str, int] = {}
    good: list[_Row] = []
    for line, raw in rows:
        reasons = []
        number = (raw.get("loan_number") or "").strip()
        scan: ScanLine | None = None
        if line in scanned:
            scan, number, problem = _read_scan_line(scanned[line], raw, number)
            if problem:
                reasons.append(problem)
        loan = loans.get(number)
        if scan is not None and loan is not None:
            on_file = loan.account.number if loan.account else None
            if scan.has_account and scan.account != on_file:
                reasons.append(
                    f"the scan line's account {scan.account} is not loan "
                    f"{number}'s account ({on_file or 'none'})"
                )
        if line in scanned and scan is None:
            pass  # the scan line was refused above; it names no loan to check
        elif not number:
            reasons.append(
                "scan_line and loan_number are empty"
                if "scan_line" in raw
                else "loan_number is empty"
            )
        elif number not in wellformed:
            reasons.append(
                "loan_number may contain only letters, digits, '-', '_' and '.'"
            )
        elif loan is None:
            reasons.append(f"no loan numbered {number}")
        elif loan.status not in OPEN_LOAN_STATUSES:
            reasons.append(f"loan {number} is {loan.get_status_display().lower()}")
        amount = None
        try:
            amount = parse_money(raw.get("amount") or "")
            if amount <= 0:
                reasons.append("amount must be more than 0.00")
        except (ValueError, ArithmeticError) as error:
            text = (raw.get("amount") or "").strip()
            reasons.append(f"amount: {error}" if text else "amount is empty")
        received_on = None
        text = (raw.get("received_on") or "").strip()
        try:
            received_on = date.fromisoformat(text)
            if loan and loan.disbursed_on and received_on < loan.disbursed_on:
                reasons.append(f"received_on {text} is before the loan was disbursed")
        except ValueError:
            reasons.append(f"received_on {text!r} is not a date (YYYY-MM-DD)")
        method = (raw.get("method") or "").strip().lower()
        if not method and line in scanned:
            method = LOCKBOX_METHOD
        if method not in PaymentMethod.values:
            reasons.append(
                f"method {method!r} is not one of " + ", ".join(PaymentMethod.values)
            )
        reference = (raw.get("reference") or "").strip()
        if not reference:
            reasons.append("reference is empty")
        elif reference in seen:
            reasons.append(f"reference {reference} repeats line {seen[reference]}")
        else:
            seen[reference] = line
        if reasons:
            errors.append(RowError(line, "; ".join(reasons)))
        else:
            # No reasons: the loan, the amount and the date were all read.
            assert loan is not None and amount is not None and received_on is not None
            good.append(_Row(line, loan, amount, received_on, method, reference))
    return good, errors


def _scan_lines(
    rows: list[tuple[int, dict[str, str]]],
) -> dict[int, ScanLine | ValueError]:
    """Line -> the row's scan line read back (or why it can't be), for the
    rows that carry one."""
    result: dict[int, ScanLine | ValueError] = {}
    for line, raw in rows:
        text = (raw.get("scan_line") or "").strip()
        if text:
            try:
                result[line] = parse_scan_line(text)
            except ValueError as error:
                result[line] = error
    return result


def _read_scan_line(
    scan: ScanLine | ValueError, raw: dict[str, str], number: str
) -> tuple[ScanLine | None, str, str]:
    """(scan line or None, loan number, problem or "") for one row."""
    if isinstance(scan, ValueError):
        return None, number, f"scan_line: {scan}"
    if number and number != scan.loan_number:
        return (
            scan,
            scan.loan_number,
            f"loan_number {number} differs from the scan line's {scan.loan_number}",
        )
    return scan, scan.loan_number, ""


class _Rejected(Exception):
    """Roll the whole file back (the simulation of its good rows included)."""


class _NothingNew(Exception):
    """Every row was already posted: keep no empty batch record."""


def payment_batch_post(*, actor: Any, file_name: str, content: bytes) -> BatchResult:
    """Check the whole file and post every row in one transaction; raise
    BatchRejected with every bad row, found in one pass (the good rows are
    posted inside the transaction to find overpayments, then rolled back),
    and post nothing if any row is bad."""
    limit: int = settings.PORTAL_BATCH_MAX_BYTES
    if len(content) > limit:
        raise BatchRejected(
            [
                RowError(
                    1,
                    TOO_LARGE.format(
                        size=filesizeformat(len(content)), limit=filesizeformat(limit)
                    ),
                )
            ]
        )
    try:
        rows = read_rows(file_name, content)
    except ValidationError as error:
        raise BatchRejected([RowError(1, m) for m in error.messages]) from None
    good, errors = _check(rows)
    reason = f"Payment batch {file_name}"
    result = BatchResult()
    try:
        with transaction.atomic():
            with audit_context(user=actor, reason=reason):
                batch = PaymentBatch.objects.create(
                    file_name=file_name[:255], uploaded_by=actor
                )
            posted = []
            try:
                posted = payments_post(
                    actor=actor,
                    requests=[
                        PaymentRequest(
                            row.loan,
                            row.amount,
                            row.received_on,
                            row.method,
                            row.reference,
                            line=row.line,
                        )
                        for row in good
                    ],
                    batch=batch,
                    reason=reason,
                )
            except PostingRejected as rejected:
                errors += [
                    RowError(request.line or 0, "; ".join(problems.values()))
                    for request, problems in rejected.problems
                ]
            if errors:
                raise _Rejected
            new = [p.payment for p in posted if p.created]
            result.already_posted = len(posted) - len(new)
            if not new:
                raise _NothingNew
            result.posted = len(new)
            result.total = sum((p.amount for p in new), Decimal("0.00"))
            with audit_context(user=actor, reason=reason):
                batch.row_count = result.posted
                batch.total = result.total
                batch.save(update_fields=["row_count", "total"])
            result.batch = batch
    except _Rejected:
        raise BatchRejected(sorted(errors, key=lambda e: e.line)) from None
    except _NothingNew:
        pass
    return result
