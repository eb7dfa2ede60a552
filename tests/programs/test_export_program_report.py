"""The program report of a period (the report kind `program`, see
tests/regulatory_reports/test_kind_program.py): budget, committed, paid and
remaining by program; committed, paid and savings by measure, by month and
in detail; downloaded from the Programs menu for a fiscal year (FY2026 is
October 1, 2025 to September 30, 2026) or any period, without a report run."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from djmoney.money import Money
from openpyxl import load_workbook

from programs import services as svc
from regulatory_reports.exports import download_xlsx
from regulatory_reports.exports_xlsx import MONEY_FORMAT
from regulatory_reports.periods import period_bounds
from tests.factories import MeasureFactory, ProgramFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


@pytest.fixture
def year_2026(program, measure, apply, staff_alice, supervisor_bob):
    """REE ($1,000; TANKLESS $300, 100 kWh and 10 therms a unit; ATTIC
    $125.50, 50 kWh and 2.5 therms) and GIP ($2,500; FURNACE $500, 180
    therms), with a FY2025 program that the FY2026 report leaves out.

    March: TANKLESS x1 (paid in April), ATTIC x2 (approved: a fixed
    incentive, savings per unit).
    April: FURNACE x1 (approved), TANKLESS x1 (submitted only)."""
    program.name = "Residential Energy Efficiency"
    program.save()
    measure.name = "Tankless water heater"
    measure.save()
    attic = MeasureFactory(
        program=program,
        code="ATTIC",
        name="Attic insulation",
        amount=Decimal("125.50"),
        kwh_savings_per_unit=Decimal("50"),
        therms_savings_per_unit=Decimal("2.5"),
    )
    gip = ProgramFactory(
        code="GIP", name="Gas Incentive Program", budget=Money("2500.00", "USD")
    )
    furnace = MeasureFactory(
        program=gip,
        code="FURNACE",
        name="Gas furnace",
        amount=Decimal("500.00"),
        kwh_savings_per_unit=Decimal("0"),
        therms_savings_per_unit=Decimal("180"),
    )
    ProgramFactory(
        code="OLD",
        name="Old program",
        fiscal_year=2025,
        starts_on=date(2024, 10, 1),
        ends_on=date(2025, 9, 30),
    )

    def approve(app):
        app = svc.rebate_start_review(actor=staff_alice, application=app)
        return svc.rebate_approve(actor=supervisor_bob, application=app)

    with time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=UTC)):
        tankless = approve(apply())
        approve(apply(quantity="2", the_measure=attic))
    with time_machine.travel(datetime(2026, 4, 15, 15, 0, tzinfo=UTC)):
        approve(apply(the_measure=furnace))
        apply()
        svc.rebate_checks_issue(
            actor=staff_alice,
            applications=[tankless],
            first_check_number=100,
            paid_on=date(2026, 4, 15),
        )


def report(user=None, fiscal_year=2026):
    with time_machine.travel(AT, tick=False):
        content = download_xlsx(
            kind="program", period=period_bounds(f"FY{fiscal_year}"), user=user
        )
    return load_workbook(io.BytesIO(content))


def values(sheet, first_row):
    return [list(row) for row in sheet.iter_rows(min_row=first_row, values_only=True)]


def test_the_report_has_a_sheet_by_program_measure_month_and_detail(year_2026):
    assert report().sheetnames == [
        "Summary",
        "By program",
        "By measure",
        "By month",
        "Detail",
    ]


def test_each_sheet_names_the_report_the_period_and_who_generated_it(
    year_2026, supervisor_bob
):
    book = report(supervisor_bob)
    for name in book.sheetnames:
        sheet = book[name]
        lines = [sheet.cell(row, 1).value for row in range(1, 8)]
        assert lines[:5] == [
            "Riverton Municipal Utilities",
            f"Program report — {name}",
            "Period: FY2026, October 1, 2025 to September 30, 2026",
            "Version: none (a download, not a report run)",
            "Status: not filed",
        ]
        assert lines[5].startswith("Generated: November 24, 2026")
        assert lines[5].endswith(" by Bob")
        assert lines[6] is None
        assert sheet.freeze_panes == "A9"


def test_by_program_is_the_budget_position_of_each_program_of_the_year(year_2026):
    sheet = report()["By program"]
    assert values(sheet, 8) == [
        [
            "Program",
            "Name",
            "Budget",
            "Committed (approved, unpaid)",
            "Paid",
            "Remaining",
            "kWh savings",
            "Therms savings",
        ],
        ["GIP", "Gas Incentive Program", 2500, 500, 0, 2000, 0, 180],
        ["REE", "Residential Energy Efficiency", 1000, 125.5, 300, 574.5, 200, 15],
        ["Total", None, 3500, 625.5, 300, 2574.5, 200, 195],
    ]
    assert [sheet.cell(9, col).number_format for col in range(3, 9)] == [
        MONEY_FORMAT,
        MONEY_FORMAT,
        MONEY_FORMAT,
        MONEY_FORMAT,
        "#,##0.00",
        "#,##0.00",
    ]
    assert [sheet.cell(9, col).data_type for col in range(1, 9)] == [
        "s",
        "s",
        "n",
        "n",
        "n",
        "n",
        "n",
        "n",
    ]


def test_by_measure_counts_applications_and_adds_incentives_and_savings(year_2026):
    assert values(report()["By measure"], 8) == [
        [
            "Program",
            "Measure",
            "Measure name",
            "Applications",
            "Committed",
            "Paid",
            "kWh savings",
            "Therms savings",
        ],
        ["GIP", "FURNACE", "Gas furnace", 1, 500, 0, 0, 180],
        ["REE", "ATTIC", "Attic insulation", 1, 125.5, 0, 100, 5],
        ["REE", "TANKLESS", "Tankless water heater", 2, 0, 300, 100, 10],
        ["Total", None, None, None, 625.5, 300, 200, 195],
    ]


def test_by_month_is_by_month_of_submission_as_a_date_cell(year_2026):
    sheet = report()["By month"]
    assert values(sheet, 8) == [
        ["Month", "Committed", "Paid", "kWh savings", "Therms savings"],
        [datetime(2026, 3, 1), 125.5, 300, 200, 15],
        [datetime(2026, 4, 1), 500, 0, 0, 180],
        ["Total", 625.5, 300, 200, 195],
    ]
    assert (sheet["A9"].is_date, sheet["A9"].number_format) == (True, "yyyy-mm-dd")


def test_the_detail_has_one_row_per_program_measure_and_month(year_2026):
    assert values(report()["Detail"], 9) == [
        ["GIP", "FURNACE", "Gas furnace", datetime(2026, 4, 1), 1, 500, 0, 0, 180],
        ["REE", "ATTIC", "Attic insulation", datetime(2026, 3, 1), 1, 125.5, 0, 100, 5],
        [
            "REE",
            "TANKLESS",
            "Tankless water heater",
            datetime(2026, 3, 1),
            1,
            0,
            300,
            100,
            10,
        ],
        [
            "REE",
            "TANKLESS",
            "Tankless water heater",
            datetime(2026, 4, 1),
            1,
            0,
            0,
            0,
            0,
        ],
        ["Total", None, None, None, None, 625.5, 300, 200, 195],
    ]


def test_another_fiscal_year_has_only_its_own_programs(year_2026):
    assert values(report(fiscal_year=2025)["By program"], 9) == [
        ["OLD", "Old program", 10000, 0, 0, 10000, 0, 0],
        ["Total", None, 10000, 0, 0, 10000, 0, 0],
    ]


@time_machine.travel(date(2026, 11, 24), tick=False)
def test_staff_download_this_fiscal_year_to_date_from_the_programs_menu(
    client, year_2026, staff_alice
):
    from regulatory_reports.models import ReportRun

    client.force_login(staff_alice)
    url = reverse("programs_report_download")
    menu = client.get("/admin/").content.decode()
    assert "Program report (XLSX)" in menu
    assert url in menu
    response = client.get(url)
    assert response["Content-Disposition"] == (
        'attachment; filename="program-report-FY2027.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content))["By program"]
    assert sheet["A3"].value == (
        "Period: FY2027, October 1, 2026 to September 30, 2027"
    )
    assert sheet["A6"].value.endswith(" by Alice")
    assert not ReportRun.objects.exists()


def test_a_fiscal_year_is_chosen_by_its_four_digits(client, year_2026, staff_alice):
    client.force_login(staff_alice)
    url = reverse("programs_report_download")
    response = client.get(url, {"fiscal_year": "2025"})
    assert 'filename="program-report-FY2025.xlsx"' in response["Content-Disposition"]
    response = client.get(url, {"period": "2026-Q1"})
    assert 'filename="program-report-2026-Q1.xlsx"' in response["Content-Disposition"]
    response = client.get(url, {"period": "2026-Q5"}, follow=True)
    assert "A year has quarters Q1 to Q4." in response.content.decode()
    response = client.get(url, {"fiscal_year": "FY26"}, follow=True)
    assert "Enter the fiscal year as four digits, e.g. 2026." in (
        response.content.decode()
    )


def test_the_report_is_not_in_the_menu_of_someone_who_cannot_see_programs(
    client, outsider_dave
):
    from django.contrib.auth.models import Permission

    outsider_dave.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider_dave)
    assert "Program report (XLSX)" not in client.get("/admin/").content.decode()
    response = client.get(reverse("programs_report_download"))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
