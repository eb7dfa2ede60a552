"""The daily entry points of the late-fee job, `manage.py assess_late_fees`
and `assess_late_fees_task`, charge the fees and record who and why."""

import io
from datetime import date

from django.core.management import call_command

import pytest
import time_machine

from loans.choices import FeeKind
from loans.models import LedgerEntry
from loans.tasks import assess_late_fees_task
from portal.audit import SYSTEM_USERNAME

pytestmark = pytest.mark.django_db
NOW = date(2026, 8, 1)


@time_machine.travel(NOW, tick=False)
def test_the_command_charges_and_history_names_the_system_user_and_the_date(book):
    loan = book("L-1")
    out = io.StringIO()
    call_command("assess_late_fees", "--as-of", "2026-03-01", stdout=out)
    assert out.getvalue() == "1 late fee(s) charged as of 2026-03-01.\n"
    call_command("assess_late_fees", "--as-of", "2026-03-01", stdout=out)
    assert out.getvalue().endswith("0 late fee(s) charged as of 2026-03-01.\n")
    fee = LedgerEntry.objects.get(loan=loan, fee_kind=FeeKind.LATE)
    assert fee.posted_by.username == SYSTEM_USERNAME
    created = fee.history.get()
    assert created.history_user.username == SYSTEM_USERNAME
    assert created.history_change_reason == "Late fees assessed as of 2026-03-01"


@time_machine.travel(NOW, tick=False)
def test_the_task_charges_each_fee_once(book):
    book("L-1")
    assert assess_late_fees_task.enqueue("2026-06-01").return_value == 4
    assert assess_late_fees_task.enqueue("2026-06-01").return_value == 0
