"""load_demo_data runs the day's scheduled work for its loans (late fees as of
today, as the system user): a loan in arrears carries the fees the daily job
would have charged it, and a second run the same day changes nothing."""

import io
from datetime import date

from django.apps import apps
from django.core.management import call_command

import pytest
import time_machine

from loans.models import LedgerEntry, Loan
from loans.selectors import loan_summary

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def load():
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def late_fees(number):
    return [
        (e.installment_number, e.amount, e.effective_on, e.posted_by.username)
        for e in LedgerEntry.objects.filter(
            loan__number=number, kind="fee_assessed", fee_kind="late"
        ).order_by("installment_number")
    ]


def every_row_count():
    """Rows of every model of the project's apps (history included)."""
    return {
        model._meta.label: model.objects.count()
        for label in ["portal", "loans", "programs", "auth"]
        for model in apps.get_app_config(label).get_models()
    }


@time_machine.travel(TODAY, tick=False)
def test_the_demos_loan_in_arrears_carries_a_late_fee_per_late_installment():
    # WS-DEMO-0001: first due 2026-04-10, installments 5 to 8 unpaid; the $10
    # fee is charged the day after each 15-day grace period that has ended.
    load()
    loan = Loan.objects.get(number="WS-DEMO-0001")
    summary = loan_summary(loan, TODAY)
    assert (summary.days_past_due, summary.balance["fees"]) == (106, 30)
    assert late_fees("WS-DEMO-0001") == [
        (5, 10, date(2026, 8, 26), "system"),
        (6, 10, date(2026, 9, 26), "system"),
        (7, 10, date(2026, 10, 26), "system"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_loans_within_grace_or_without_a_late_fee_carry_none():
    load()
    # EE-DEMO-0001: installment 14 due 2026-11-10, still within its grace.
    # ZI-DEMO-0001: 75 days past due, but the zero-interest product charges
    # no late fee.
    days = {
        number: loan_summary(Loan.objects.get(number=number), TODAY).days_past_due
        for number in ["EE-DEMO-0001", "ZI-DEMO-0001"]
    }
    assert days == {"EE-DEMO-0001": 14, "ZI-DEMO-0001": 75}
    assert late_fees("EE-DEMO-0001") == []
    assert late_fees("ZI-DEMO-0001") == []


def test_a_second_run_the_same_day_changes_nothing():
    with time_machine.travel(TODAY, tick=False):
        load()
        first = every_row_count()
        load()
        assert every_row_count() == first


def test_a_run_on_a_later_day_does_that_days_work():
    with time_machine.travel(TODAY, tick=False):
        load()
    with time_machine.travel(date(2026, 11, 26), tick=False):
        load()
    # Installment 8 (due 2026-11-10) left its grace period on 2026-11-25.
    assert late_fees("WS-DEMO-0001")[-1] == (8, 10, date(2026, 11, 26), "system")
    assert len(late_fees("WS-DEMO-0001")) == 4
