"""The run's XLSX: Summary first, the header block on every sheet, frozen
header rows, typed cells with formats, totals equal to the rows' sums, and
customer text that never becomes a formula."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from regulatory_reports import exports_xlsx
from regulatory_reports.exports import xlsx_bytes
from regulatory_reports.exports_xlsx import sheet_title
from tests.regulatory_reports.exports_fixtures import (  # noqa: F401
    HYPERLINK,
    TITLE,
    psc_kind,
    result,
    run,
)

pytestmark = pytest.mark.django_db

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'


@pytest.fixture
def book(run, result):  # noqa: F811
    return load_workbook(io.BytesIO(xlsx_bytes(run, result)))


def test_the_summary_sheet_comes_first_then_one_sheet_per_section(book):
    assert book.sheetnames == ["Summary", "Payment receipts", "Delinquent loans"]


def test_every_sheet_opens_with_the_header_block(book):
    for name, heading in [
        ("Summary", f"{TITLE} — Summary"),
        ("Payment receipts", f"{TITLE} — Payment receipts"),
    ]:
        sheet = book[name]
        assert [sheet.cell(row, 1).value for row in range(1, 8)] == [
            "Riverton Municipal Utilities",
            heading,
            "Period: 2026-Q3, July 1, 2026 to September 30, 2026",
            "Version: 1",
            "Status: Generated",
            "Generated: October 5, 2026, 2:30 p.m. by Bob Baker",
            None,
        ]
        assert sheet["A1"].font.bold


def test_the_header_row_is_frozen_below_the_block(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A9"
    assert [c.value for c in book["Payment receipts"][8]] == [
        "Loan",
        "Customer",
        "Received",
        "Amount",
        "Payments",
    ]
    assert all(c.font.bold for c in book["Payment receipts"][8])


def test_dates_are_dates_money_is_numbers_in_dollars_counts_are_whole(book):
    loan, customer, received, amount, count = book["Payment receipts"][10]
    assert (loan.value, loan.data_type) == ("ZI-000002", "s")
    assert received.value == datetime(2026, 8, 14)
    assert received.is_date and received.number_format == "yyyy-mm-dd"
    assert (amount.value, amount.data_type, amount.number_format) == (
        -40.25,
        "n",
        MONEY,
    )
    assert (count.value, count.data_type) == (-1, "n")


def test_the_totals_row_holds_the_sums_of_the_rows_as_values(book):
    sheet = book["Payment receipts"]
    assert sheet.max_row == 12
    assert [c.value for c in sheet[12]] == ["Total", None, None, 1085.25, 1]
    assert sheet["D12"].data_type == "n" and sheet["D12"].number_format == MONEY
    assert sum(sheet.cell(row, 4).value for row in (9, 10, 11)) == pytest.approx(
        sheet["D12"].value, abs=0.001
    )
    delinquent = book["Delinquent loans"]
    # Days past due are not added up; the amounts are.
    assert [c.value for c in delinquent[11]] == ["Total", None, None, 360.1, 3600.05]


def test_formula_like_customer_text_comes_back_as_the_same_text(book):
    sheet = book["Payment receipts"]
    cells = [sheet["B9"], sheet["B10"], sheet["B11"], book["Delinquent loans"]["B9"]]
    assert [c.value for c in cells] == [HYPERLINK, "+1", "@x", "-3"]
    assert all(c.data_type == "s" for c in cells)  # never "f"
    assert all(c.quotePrefix for c in cells)
    assert book["Delinquent loans"]["B10"].value == "Muñoz; promised to pay"
    assert not book["Delinquent loans"]["B10"].quotePrefix


def test_summary_lines_are_typed_like_the_sections(book):
    sheet = book["Summary"]
    assert [c.value for c in sheet[8]] == ["Figure", "Value"]
    rows = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=9)]
    assert rows == [
        ("Loans at the start", 12),
        ("Outstanding principal at the start", 15000),
        ("Principal received", -1085.25),
        ("Period ends", datetime(2026, 9, 30)),
        ("Reconciles", "Yes"),
    ]
    assert sheet["B10"].number_format == MONEY
    assert sheet["B12"].number_format == "yyyy-mm-dd"


def test_columns_have_widths(book):
    sheet = book["Delinquent loans"]
    assert sheet.column_dimensions["A"].width == 20
    assert sheet.column_dimensions["C"].width == 15  # "Days past due" + 2
    assert sheet.column_dimensions["E"].width == 23  # "Outstanding principal" + 2


def test_the_workbook_is_written_in_write_only_mode(run, result, monkeypatch):  # noqa: F811
    made = []
    real = exports_xlsx.Workbook

    def spy(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(exports_xlsx, "Workbook", spy)
    xlsx_bytes(run, result)
    assert made == [{"write_only": True}]


def test_an_amendment_says_which_version_it_amends(run, result):  # noqa: F811
    run.status = "filed"
    run.save()
    run.pk = None
    run.version, run.amends, run.status = 2, type(run).objects.get(), "generated"
    run.save()
    book = load_workbook(io.BytesIO(xlsx_bytes(run, result)))
    assert book["Summary"]["A4"].value == "Version: 2, amending version 1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Payment receipts", "Payment receipts"),
        ("Actions: referrals/judgments [Q3]?", "Actions referrals judgments Q3"),
        ("History", "History (2)"),
        ("'Quoted'", "Quoted"),
    ],
)
def test_sheet_titles_are_safe_short_and_unique(text, expected):
    assert sheet_title(text, set()) == expected
    assert len(sheet_title("x" * 40, set())) == 31
    taken: set[str] = set()
    assert [sheet_title("Summary", taken) for _ in range(2)] == [
        "Summary",
        "Summary (2)",
    ]


def test_tabs_error_codes_and_control_characters_stay_plain_text(run):  # noqa: F811
    from regulatory_reports.kinds import Column, ReportResult, Section

    texts = ["\tcmd", "\r=1", "#N/A", "bell\x07here", "plain"]
    section = Section(
        "notes", "Notes", [Column("note", "Note")], ({"note": t} for t in texts)
    )
    content = xlsx_bytes(run, ReportResult(figures={}, summary=[], sections=[section]))
    cells = [
        row[0]
        for row in load_workbook(io.BytesIO(content))["Notes"].iter_rows(min_row=9)
    ]
    assert [c.value for c in cells] == [
        "\tcmd",
        "\r=1",  # written as &#13; (lxml), so it reads back as written
        "#N/A",
        "bell\ufffdhere",
        "plain",
    ]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False, False, False]
