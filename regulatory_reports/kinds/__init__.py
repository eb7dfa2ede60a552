"""Report kinds: a new report is one class here, not a new app.

A kind turns a period into a `ReportResult`: the figures the API returns
(JSON-ready: amounts as two-decimal strings, dates ISO), and the sections
the exports write (rows with typed columns, and totals equal to the rows'
sums). `regulatory_reports.services` runs a kind, freezes its result in a
`ReportRun` and writes the files; nothing here writes to the database.

Each kind registers itself with `@register`; the modules are imported below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

ColumnType = Literal["text", "date", "money", "int", "quantity"]
# Columns whose values add up (a section's totals; an amendment's per-loan
# figures). A quantity is a number that is not money (kWh, therms).
SUMMED: tuple[ColumnType, ...] = ("money", "int", "quantity")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    type: ColumnType = "text"


@dataclass
class Section:
    """One table of a report: a sheet in the XLSX, a CSV file, a paginated
    table on the run's page. `rows` are dicts keyed by column key, with
    values as Python types (str, date, Decimal, int). `totals` maps column
    keys to the sum of that column (money/int columns only). `loan_key`
    names the column that identifies a loan, for an amendment's change list."""

    key: str
    title: str
    columns: list[Column]
    rows: Iterable[dict[str, Any]]
    totals: dict[str, Decimal | int] = field(default_factory=dict)
    loan_key: str = ""


@dataclass
class ReportResult:
    """`figures`: the JSON body parts the API returns for this kind (for the
    PSC report: summary, receipts, matured, delinquent, actions).
    `summary`: the summary page's lines (label, value, type), also the
    `Summary` sheet and the PDF cover. `sections`: the detail tables."""

    figures: dict[str, Any]
    summary: list[tuple[str, Any, ColumnType]]
    sections: list[Section]


class ReportError(Exception):
    """A report that must not be generated (e.g. the reconciliation fails);
    the message names what breaks it (for the PSC report, the loans)."""


class ReportKind:
    key: ClassVar[str]
    title: ClassVar[str]
    # Figures (leaf keys of `figures`) written like amounts, "1234.50", that
    # are quantities, not money (kWh, therms): shown without a dollar sign.
    quantity_figures: ClassVar[frozenset[str]] = frozenset()

    def build(self, *, start: date, end: date) -> ReportResult:
        raise NotImplementedError


KINDS: dict[str, type[ReportKind]] = {}


def register(kind: type[ReportKind]) -> type[ReportKind]:
    KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> ReportKind:
    return KINDS[key]()


def money(value: Decimal | int) -> str:
    """An amount as the API writes it: a string with two decimals."""
    return f"{Decimal(value):.2f}"


ZERO = Decimal("0.00")


class ColumnTotals:
    """The sums of some columns of a section's rows, added one row at a time
    (so a streamed section is read once). Every sum starts at ZERO.

    `counted` also counts the rows into a `count` after the sums: what a row
    says it counts (`row["count"]`: a reversal −1, a re-allocation 0), or 1."""

    def __init__(self, keys: Iterable[str], *, counted: bool = False) -> None:
        self._sums: dict[str, Any] = {key: ZERO for key in keys}
        self._counted = counted
        self._count = 0

    def add(self, row: dict[str, Any]) -> None:
        if self._counted:
            self._count += row.get("count", 1)
        for key, value in self._sums.items():
            self._sums[key] = value + row[key]

    def result(self) -> dict[str, Any]:
        totals = dict(self._sums)
        if self._counted:
            totals["count"] = self._count
        return totals


def column_totals(
    rows: Iterable[dict[str, Any]], keys: Iterable[str], *, counted: bool = False
) -> dict[str, Any]:
    """`ColumnTotals` of rows already at hand."""
    totals = ColumnTotals(keys, counted=counted)
    for row in rows:
        totals.add(row)
    return totals.result()


Builder = Callable[..., ReportResult]
# One import line per kind (not one sorted import: kinds are added apart).
from regulatory_reports.kinds import psc  # noqa: E402,F401,I001
from regulatory_reports.kinds import aging  # noqa: E402,F401
from regulatory_reports.kinds import cash_receipts  # noqa: E402,F401
from regulatory_reports.kinds import deposit_adequacy  # noqa: E402,F401
from regulatory_reports.kinds import gl_journal  # noqa: E402,F401
from regulatory_reports.kinds import lien_register  # noqa: E402,F401
from regulatory_reports.kinds import program  # noqa: E402,F401
