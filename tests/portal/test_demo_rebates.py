"""The demo has rebates at each stage (paid by check, approved, submitted),
made through the services, so the program report and the check register
show them."""

import io
from datetime import date, datetime

from django.core.management import call_command

import pytest
import time_machine
from openpyxl import load_workbook

from programs.exports import payment_register_xlsx
from programs.models import RebateApplication, RebateCheckBatch
from regulatory_reports.exports import download_xlsx
from regulatory_reports.periods import period_bounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with time_machine.travel(date(2026, 11, 24), tick=False):
        call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_the_demo_has_a_paid_an_approved_and_a_submitted_rebate(demo):
    assert sorted(
        (a.account.number, a.program.code, a.status, a.requested_amount.amount)
        for a in RebateApplication.objects.all()
    ) == [
        ("100001", "REE", "paid", 400),
        ("100002", "REE", "submitted", 1500),
        ("100003", "GIP", "approved", 300),
    ]


def test_the_demos_check_register_mails_carols_check_to_her_address(demo):
    batch = RebateCheckBatch.objects.get()
    sheet = load_workbook(io.BytesIO(payment_register_xlsx(batch))).active
    assert [c.value for c in sheet[10]][:9] == [
        "4001",
        datetime(2026, 11, 24),
        "Carol Jensen",
        "12 Maple St",
        None,
        "Riverton",
        "NY",
        "12180",
        400,
    ]


def test_the_demos_program_report_shows_the_budget_positions(demo):
    # The demo's applications are made on November 24, 2026: FY2027.
    content = download_xlsx(kind="program", period=period_bounds("FY2027"), user=None)
    sheet = load_workbook(io.BytesIO(content))["By program"]
    rows = [list(r) for r in sheet.iter_rows(min_row=9, values_only=True)]
    assert rows == [
        ["FA", "Financial Assistance", 150000, 0, 0, 150000, 0, 0],
        ["GIP", "Gas Incentive Program", 250000, 300, 0, 249700, 0, 95],
        ["KAI", "Key Account Initiatives", 750000, 0, 0, 750000, 0, 0],
        ["REE", "Residential Energy Efficiency", 400000, 0, 400, 399600, 450, 40],
        ["Total", None, 1550000, 300, 400, 1549300, 450, 135],
    ]
