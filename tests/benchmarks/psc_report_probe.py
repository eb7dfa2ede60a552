"""Run inside a child process against one database (DATABASE_URL): time the
bare SQL aggregates that produce the PSC report's totals, then generate the
report for a period through the service (figures frozen, XLSX, CSVs and the
PDF cover written), and print one JSON line with the figures and the
process's peak memory.

    DATABASE_URL=... python tests/benchmarks/psc_report_probe.py 2026-Q3
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from typing import Any


def main() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from loans.choices import EntryKind
    from loans.models import (
        CollectionAction,
        Installment,
        LedgerEntry,
        Loan,
        LoanProduct,
        Payment,
    )
    from regulatory_reports.choices import FileFormat
    from regulatory_reports.periods import parse_period
    from regulatory_reports.services import report_generate

    period_text = sys.argv[1] if len(sys.argv) > 1 else "2026-Q3"
    period = parse_period(period_text, today=timezone.localdate())
    start, end = period.start, period.end

    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    ledger, loan, product = table(LedgerEntry), table(Loan), table(LoanProduct)
    payment, installment = table(Payment), table(Installment)
    action = table(CollectionAction)
    principal = (
        EntryKind.DISBURSEMENT,
        EntryKind.PRINCIPAL_PAID,
        EntryKind.PREPAYMENT,
        EntryKind.WRITE_OFF,
    )
    guaranteed = f"JOIN {loan} l ON l.id = {{a}}.loan_id JOIN {product} pr ON pr.id = l.product_id AND pr.state_guaranteed"
    # The totals the report adds up, each as the plainest SQL aggregate over
    # the same rows: principal flows per loan (the summary and its
    # reconciliation), receipts with their allocation, the delinquency
    # facts, the actions by type.
    bare_queries: list[tuple[str, list[Any]]] = [
        (
            f"""SELECT e.loan_id,
                   SUM(CASE WHEN e.effective_on < %s AND e.kind = %s THEN e.amount ELSE 0 END),
                   SUM(CASE WHEN e.effective_on < %s AND e.kind <> %s THEN e.amount ELSE 0 END),
                   SUM(CASE WHEN e.effective_on >= %s AND e.kind = %s THEN e.amount ELSE 0 END),
                   SUM(CASE WHEN e.effective_on >= %s AND e.kind IN (%s, %s) THEN e.amount ELSE 0 END),
                   SUM(CASE WHEN e.effective_on >= %s AND e.kind = %s THEN e.amount ELSE 0 END)
               FROM {ledger} e {guaranteed.format(a="e")}
               WHERE e.effective_on <= %s AND e.kind IN (%s, %s, %s, %s)
               GROUP BY e.loan_id""",  # noqa: S608
            [
                start,
                EntryKind.DISBURSEMENT,
                start,
                EntryKind.DISBURSEMENT,
                start,
                EntryKind.DISBURSEMENT,
                start,
                EntryKind.PRINCIPAL_PAID,
                EntryKind.PREPAYMENT,
                start,
                EntryKind.WRITE_OFF,
                end,
                *principal,
            ],
        ),
        (
            f"""SELECT COUNT(DISTINCT p.id), SUM(e.amount), e.kind
               FROM {payment} p {guaranteed.format(a="p")}
               JOIN {ledger} e ON e.payment_id = p.id AND e.reverses_id IS NULL
               WHERE p.received_on BETWEEN %s AND %s GROUP BY e.kind""",  # noqa: S608
            [start, end],
        ),
        (
            f"""SELECT COUNT(*), SUM(e.amount) FROM {ledger} e {guaranteed.format(a="e")}
               WHERE e.reverses_id IS NOT NULL AND e.payment_id IS NOT NULL
                 AND e.effective_on BETWEEN %s AND %s""",  # noqa: S608
            [start, end],
        ),
        (
            f"""SELECT i.loan_id, MIN(i.due_date), SUM(i.principal + i.interest)
               FROM {installment} i {guaranteed.format(a="i")}
               WHERE i.due_date < %s GROUP BY i.loan_id""",  # noqa: S608
            [end],
        ),
        (
            f"""SELECT e.loan_id, e.installment_number, SUM(e.amount)
               FROM {ledger} e {guaranteed.format(a="e")}
               WHERE e.kind IN (%s, %s) AND e.effective_on <= %s
               GROUP BY e.loan_id, e.installment_number""",  # noqa: S608
            [EntryKind.INTEREST_PAID, EntryKind.PRINCIPAL_PAID, end],
        ),
        (
            f"""SELECT a.type, COUNT(*) FROM {action} a {guaranteed.format(a="a")}
               WHERE a.date BETWEEN %s AND %s GROUP BY a.type""",  # noqa: S608
            [start, end],
        ),
    ]

    def bare() -> None:
        with connection.cursor() as cursor:
            for sql, params in bare_queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    def timed(fn: Any, repeat: int = 3) -> float:
        fn()  # warm: both sides are measured with the data in the cache
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    bare_s = timed(bare)
    user, _ = get_user_model().objects.get_or_create(
        username="psc-benchmark",
        defaults={"is_superuser": True, "is_staff": True, "email": "b@example.org"},
    )
    # One warm-up generation (its version is simply version 1), then the
    # measured one: the report is read from a warm cache like the bare SQL.
    report_generate(actor=user, kind="psc", period_text=period_text)
    started = time.perf_counter()
    run = report_generate(actor=user, kind="psc", period_text=period_text)
    report_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    xlsx_s, cells = _workbook_alone(run, period)
    files = {f.format: f.size_bytes for f in run.files.all()}
    print(
        json.dumps(
            {
                "period": period.label,
                "report_s": report_s,
                "bare_s": bare_s,
                "peak_mb": peak_mb,
                "summary": run.figures["summary"],
                "receipts": run.figures["receipts"]["count"],
                "delinquent": run.figures["delinquent"]["count"],
                "xlsx_bytes": files.get(FileFormat.XLSX, 0),
                "xlsx_alone_s": xlsx_s,
                "cells": cells,
                "loans": Loan.objects.count(),
                "payments": Payment.objects.count(),
            }
        )
    )


def _workbook_alone(run: Any, period: Any) -> tuple[float, int]:
    """The time openpyxl's write-only workbook alone takes for the report's
    rows (read into memory first, so no query is timed): the floor of any
    report written through it, compared with the bare SQL in the output."""
    import io

    from regulatory_reports.exports_xlsx import RunWorkbook
    from regulatory_reports.kinds import kind_for

    result = kind_for("psc").build(start=period.start, end=period.end)
    sections = [(section, list(section.rows)) for section in result.sections]
    cells = sum(len(rows) * len(s.columns) for s, rows in sections)
    started = time.perf_counter()
    book = RunWorkbook(run, result)
    book.summary()
    for section, rows in sections:
        sheet = book.section_sheet(section)
        for row in rows:
            sheet.append(row)
        sheet.close(section.totals.keys())
    book.save(io.BytesIO())
    return time.perf_counter() - started, cells


if __name__ == "__main__":
    main()
