"""The program report as a report kind for 2026-Q1 (the data of
tests/programs/test_export_program_report.py): the programs running in the
quarter with their budget position, and the committed, paid and savings of
the applications submitted in it (March: TANKLESS x1 paid, ATTIC x2
approved; April's FURNACE and TANKLESS are outside the quarter)."""

import pytest

from tests.programs.conftest import apply, measure, program  # noqa: F401
from tests.programs.test_export_program_report import year_2026  # noqa: F401
from tests.regulatory_reports.kind_helpers import (
    assert_money_columns,
    assert_totals_are_the_sums,
    generate,
    table,
    workbook,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "budget": "3500.00",
    "committed": "625.50",
    "paid": "300.00",
    "remaining": "2574.50",
    "kwh_savings": "200.00",
    "therms_savings": "15.00",
    "programs": {
        "GIP": {
            "budget": "2500.00",
            "committed": "500.00",
            "paid": "0.00",
            "remaining": "2000.00",
            "kwh_savings": "0.00",
            "therms_savings": "0.00",
        },
        "REE": {
            "budget": "1000.00",
            "committed": "125.50",
            "paid": "300.00",
            "remaining": "574.50",
            "kwh_savings": "200.00",
            "therms_savings": "15.00",
        },
    },
    "applications": {"committed": "125.50", "paid": "300.00"},
}


def test_the_program_report_through_the_api_and_its_workbook(
    year_2026,  # noqa: F811
    supervisor_bob,
    api_client_for,
):
    client = api_client_for(supervisor_bob)
    body = generate(client, "program", "2026-Q1")
    assert {k: body[k] for k in EXPECTED} == EXPECTED
    book = workbook(client, body["id"])
    assert book.sheetnames == [
        "Summary",
        "By program",
        "By measure",
        "By month",
        "Detail",
    ]
    programs = table(book["By program"])
    assert programs.header == [
        "Program",
        "Name",
        "Budget",
        "Committed (approved, unpaid)",
        "Paid",
        "Remaining",
        "kWh savings",
        "Therms savings",
    ]
    assert programs.rows == [
        ["GIP", "Gas Incentive Program", 2500, 500, 0, 2000, 0, 0],
        ["REE", "Residential Energy Efficiency", 1000, 125.5, 300, 574.5, 200, 15],
    ]
    assert programs.totals == ["Total", None, 3500, 625.5, 300, 2574.5, 200, 15]
    assert_totals_are_the_sums(programs, [2, 3, 4, 5, 6, 7])
    assert_money_columns(programs, [2, 3, 4, 5])
    assert programs.formats[6:] == ["#,##0.00", "#,##0.00"]
    measures = table(book["By measure"])
    assert measures.rows == [
        ["REE", "ATTIC", "Attic insulation", 1, 125.5, 0, 100, 5],
        ["REE", "TANKLESS", "Tankless water heater", 1, 0, 300, 100, 10],
    ]
    assert measures.totals == ["Total", None, None, None, 125.5, 300, 200, 15]
    assert_totals_are_the_sums(measures, [4, 5, 6, 7])
    months = table(book["By month"])
    assert [r[0].date().isoformat() for r in months.rows] == ["2026-03-01"]
    assert months.rows[0][1:] == [125.5, 300, 200, 15]
    detail = table(book["Detail"])
    assert_totals_are_the_sums(detail, [5, 6, 7, 8])
    assert detail.totals == ["Total", None, None, None, None, 125.5, 300, 200, 15]
