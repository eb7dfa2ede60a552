import io
from datetime import date
from decimal import Decimal

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from programs import services as svc
from programs.selectors import program_report
from regulatory_reports.exports import download_xlsx
from regulatory_reports.periods import period_bounds

pytestmark = pytest.mark.django_db


def test_the_report_sums_committed_paid_and_savings_by_measure_and_month(
    apply, staff_alice, supervisor_bob
):
    apps = []
    for _ in range(2):
        app = svc.rebate_start_review(actor=staff_alice, application=apply())
        apps.append(svc.rebate_approve(actor=supervisor_bob, application=app))
    svc.rebate_checks_issue(
        actor=staff_alice,
        applications=apps[:1],
        first_check_number=100,
        paid_on=date(2026, 4, 1),
    )
    apply()  # submitted only: participation, no dollars
    rows = program_report()
    assert len(rows) == 1
    row = rows[0]
    assert (row["program"], row["measure"], row["applications"]) == (
        "REE",
        "TANKLESS",
        3,
    )
    assert (row["committed"], row["paid"]) == (Decimal("300.00"), Decimal("300.00"))
    assert row["kwh_savings"] == Decimal("200.00")  # 2 units × 100 kWh
    this_month = period_bounds(f"{timezone.localdate():%Y-%m}")
    book = load_workbook(
        io.BytesIO(download_xlsx(kind="program", period=this_month, user=None))
    )
    detail = list(book["Detail"].iter_rows(values_only=True))
    header = [r[0] for r in detail].index("Program")
    assert detail[header + 1][:2] == ("REE", "TANKLESS")
