"""The program report for a period: the programs running in it, each with
its budget, committed (approved, not yet paid), paid and remaining, and the
estimated savings of the applications submitted in the period; then the
committed, paid and savings of those applications by measure, by month of
submission and in detail (program × measure × month).

"By program" is each program's budget position when the report is
generated (`programs.selectors.budget_positions`); the other sections add
up the incentives of each measure line of the period's applications
(`programs.selectors.program_report`). A fiscal year is the period FY2026
(README › Regulatory reports), not the programs' own `fiscal_year` label.
The Programs menu's "Program report (XLSX)" downloads this kind's workbook.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from programs.selectors import budget_positions, program_report, programs_in_period
from regulatory_reports.kinds import (
    ZERO,
    Column,
    ReportKind,
    ReportResult,
    Section,
    column_totals,
    money,
    register,
)

FIGURES = ("committed", "paid", "kwh_savings", "therms_savings")
MONEY_AND_SAVINGS = [
    Column("committed", "Committed", "money"),
    Column("paid", "Paid", "money"),
    Column("kwh_savings", "kWh savings", "quantity"),
    Column("therms_savings", "Therms savings", "quantity"),
]
PROGRAM_COLUMNS = [
    Column("program", "Program"),
    Column("name", "Name"),
    Column("budget", "Budget", "money"),
    Column("committed", "Committed (approved, unpaid)", "money"),
    Column("paid", "Paid", "money"),
    Column("remaining", "Remaining", "money"),
    Column("kwh_savings", "kWh savings", "quantity"),
    Column("therms_savings", "Therms savings", "quantity"),
]
MEASURE_COLUMNS = [
    Column("program", "Program"),
    Column("measure", "Measure"),
    Column("measure_name", "Measure name"),
    Column("applications", "Applications", "int"),
    *MONEY_AND_SAVINGS,
]
MONTH_COLUMNS = [Column("month", "Month", "date"), *MONEY_AND_SAVINGS]
DETAIL_COLUMNS = [
    Column("program", "Program"),
    Column("measure", "Measure"),
    Column("measure_name", "Measure name"),
    Column("month", "Month", "date"),
    Column("applications", "Applications", "int"),
    *MONEY_AND_SAVINGS,
]


@register
class ProgramReport(ReportKind):
    key = "program"
    title = "Program report"
    quantity_figures = frozenset({"kwh_savings", "therms_savings"})

    def build(self, *, start: date, end: date) -> ReportResult:
        programs = programs_in_period(start, end)
        positions = budget_positions(programs)
        codes = {p.code for p in programs}
        detail: list[dict[str, Any]] = [
            dict(row)
            for row in program_report(submitted=(start, end))
            if row["program"] in codes
        ]

        savings: dict[str, dict[str, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        by_measure: dict[tuple[str, str, str], dict[str, Any]] = {}
        by_month: dict[date, dict[str, Decimal]] = {}
        for row in detail:
            for figure in ("kwh_savings", "therms_savings"):
                savings[row["program"]][figure] += row[figure]
            key = (row["program"], row["measure"], row["measure_name"])
            measure = by_measure.setdefault(
                key, {"applications": 0, **{f: ZERO for f in FIGURES}}
            )
            # One month per application, so the months' counts add up.
            measure["applications"] += row["applications"]
            month = by_month.setdefault(row["month"], {f: ZERO for f in FIGURES})
            for figure in FIGURES:
                measure[figure] += row[figure]
                month[figure] += row[figure]

        program_rows: list[dict[str, Any]] = [
            {
                "program": p.code,
                "name": p.name,
                "budget": positions[p.pk].budget,
                "committed": positions[p.pk].committed,
                "paid": positions[p.pk].paid,
                "remaining": positions[p.pk].remaining,
                "kwh_savings": savings[p.code]["kwh_savings"] + ZERO,
                "therms_savings": savings[p.code]["therms_savings"] + ZERO,
            }
            for p in programs
        ]
        measure_rows: list[dict[str, Any]] = [
            {
                "program": program,
                "measure": code,
                "measure_name": name,
                **figures,
            }
            for (program, code, name), figures in sorted(by_measure.items())
        ]
        month_rows: list[dict[str, Any]] = [
            {"month": month, **figures} for month, figures in sorted(by_month.items())
        ]
        budget_keys = ("budget", "committed", "paid", "remaining")
        totals = column_totals(
            program_rows, (*budget_keys, "kwh_savings", "therms_savings")
        )
        line_totals = column_totals(detail, FIGURES)

        figures: dict[str, Any] = {
            **{key: money(totals[key]) for key in budget_keys},
            "kwh_savings": money(totals["kwh_savings"]),
            "therms_savings": money(totals["therms_savings"]),
            "programs": {
                row["program"]: {
                    **{key: money(row[key]) for key in budget_keys},
                    "kwh_savings": money(row["kwh_savings"]),
                    "therms_savings": money(row["therms_savings"]),
                }
                for row in program_rows
            },
            "applications": {
                "committed": money(line_totals["committed"]),
                "paid": money(line_totals["paid"]),
            },
        }
        summary: list[tuple[str, Any, Any]] = [
            ("Programs running in the period", len(program_rows), "int"),
            ("Budget", totals["budget"], "money"),
            ("Committed (approved, unpaid)", totals["committed"], "money"),
            ("Paid", totals["paid"], "money"),
            ("Remaining", totals["remaining"], "money"),
            (
                "Committed, of the applications submitted in the period",
                line_totals["committed"],
                "money",
            ),
            (
                "Paid, of the applications submitted in the period",
                line_totals["paid"],
                "money",
            ),
            ("kWh savings", totals["kwh_savings"], "quantity"),
            ("Therms savings", totals["therms_savings"], "quantity"),
        ]
        sections = [
            Section("by_program", "By program", PROGRAM_COLUMNS, program_rows, totals),
            Section(
                "by_measure",
                "By measure",
                MEASURE_COLUMNS,
                measure_rows,
                column_totals(measure_rows, FIGURES),
            ),
            Section(
                "by_month",
                "By month",
                MONTH_COLUMNS,
                month_rows,
                column_totals(month_rows, FIGURES),
            ),
            Section("detail", "Detail", DETAIL_COLUMNS, detail, line_totals),
        ]
        return ReportResult(figures=figures, summary=summary, sections=sections)
