"""Every aging run is recorded (as-of date, loans, buckets, fees, transitions,
who and what started it, when and how long), whatever starts it (the API, the
command, the scheduled task), and announces itself with aging_run_finished."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
import time_machine

from loans.models import AgingRun, AgingTrigger
from loans.services.aging import aging_run
from loans.signals import aging_run_finished
from loans.tasks import aging_run_task
from portal.audit import SYSTEM_USERNAME

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@time_machine.travel(TODAY, tick=False)
def test_a_run_records_what_it_found_and_did(book, supervisor_bob):
    book("L-1", first_due_date=date(2026, 3, 1))  # 92 days past due
    run = aging_run(as_of=TODAY, actor=supervisor_bob, trigger=AgingTrigger.API)
    run.refresh_from_db()
    assert run.as_of == TODAY
    assert (run.trigger, run.started_by) == ("api", supervisor_bob)
    assert run.loans == 1
    assert run.bucket_counts() == {
        "current": 0,
        "1-30": 0,
        "31-60": 0,
        "61-90": 0,
        "91-120": 1,
        "121+": 0,
    }
    assert (run.late_fees_count, run.late_fees_amount) == (3, Decimal("45.00"))
    assert run.transitions() == {
        "delinquent": 1,
        "active": 0,
        "defaulted": 0,
        "matured": 0,
    }
    assert run.finished_at is not None
    assert run.duration is not None and run.duration.total_seconds() >= 0
    assert str(run) == "Aging as of June 1, 2026"


@time_machine.travel(TODAY, tick=False)
def test_the_finished_signal_carries_the_date_the_actor_and_the_run(
    book, supervisor_bob, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    aging_run_finished.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = aging_run(as_of=TODAY, actor=supervisor_bob, trigger="api")
    finally:
        aging_run_finished.disconnect(listener)
    assert len(heard) == 1
    assert heard[0]["as_of"] == TODAY
    assert heard[0]["actor"] == supervisor_bob
    assert heard[0]["run"] == run


@time_machine.travel(TODAY, tick=False)
def test_the_command_runs_a_date_as_the_system_user(book):
    book("L-1", first_due_date=date(2026, 5, 1))
    out = StringIO()
    call_command("run_aging", "--as-of", "2026-05-20", stdout=out)
    run = AgingRun.objects.get()
    assert (run.as_of, run.trigger) == (date(2026, 5, 20), "command")
    assert run.started_by.username == SYSTEM_USERNAME
    assert "Aging as of 2026-05-20: 1 open loan(s)." in out.getvalue()
    assert "1–30 days past due: 1" in out.getvalue()


@time_machine.travel(TODAY, tick=False)
def test_the_command_refuses_a_future_date(book):
    with pytest.raises(CommandError, match="not for June 2, 2026"):
        call_command("run_aging", "--as-of", "2026-06-02", stdout=StringIO())
    assert not AgingRun.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_scheduled_task_runs_today_and_is_idempotent(book):
    book("L-1", first_due_date=date(2026, 5, 1))
    first = AgingRun.objects.get(pk=aging_run_task.enqueue().return_value)
    second = AgingRun.objects.get(pk=aging_run_task.enqueue().return_value)
    assert (first.as_of, first.trigger) == (TODAY, "schedule")
    assert (first.late_fees_count, second.late_fees_count) == (1, 0)
    assert first.bucket_counts() == second.bucket_counts()


@time_machine.travel(TODAY, tick=False)
def test_the_command_can_hand_the_run_to_the_task_worker(book):
    # Tests use the immediate backend: the queued task has run on return.
    book("L-1", first_due_date=date(2026, 5, 1))
    out = StringIO()
    call_command("run_aging", "--enqueue", stdout=out)
    assert "Aging as of 2026-06-01 queued" in out.getvalue()
    run = AgingRun.objects.get()
    assert (run.as_of, run.trigger) == (TODAY, "schedule")
