"""load_demo_data runs the day's aging job for the demo loans: their
statuses agree with their days past due, and the run is recorded once."""

import io
from datetime import date

from django.core.management import call_command

import pytest
import time_machine

from loans.models import AgingRun, Loan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@time_machine.travel(TODAY, tick=False)
def test_the_demo_loans_statuses_agree_with_their_days_past_due():
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    statuses = dict(
        Loan.objects.filter(number__contains="-DEMO-").values_list("number", "status")
    )
    # 14, 106 and 75 days past due: delinquent, none yet at the 120-day default.
    # (EE-DEMO-0009 is the liens demo's loan, paid off at a property sale.)
    assert statuses == {
        "EE-DEMO-0001": "delinquent",
        "WS-DEMO-0001": "delinquent",
        "ZI-DEMO-0001": "delinquent",
        "EE-DEMO-0009": "paid_off",
    }
    run = AgingRun.objects.get()
    assert (run.as_of, run.trigger, run.started_by.username) == (
        TODAY,
        "demo",
        "system",
    )
    assert run.late_fees_count == 3
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    assert AgingRun.objects.count() == 1
