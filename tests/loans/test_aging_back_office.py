"""Back office: a supervisor runs aging for a date through a confirmation
page (only its POST runs it); the runs are listed read-only in words; loan
statuses read as words."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

import pytest
import time_machine

from loans.models import AgingRun

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
RUN_URL = "/admin/loans-actions/aging/run/"


@time_machine.travel(TODAY, tick=False)
def test_a_supervisor_confirms_before_aging_runs(client, book, supervisor_bob):
    book("L-1", first_due_date=date(2026, 2, 1))
    client.force_login(supervisor_bob)
    assert client.get(RUN_URL).status_code == 200

    confirm = client.post(RUN_URL, {"as_of": "2026-05-31"})
    assert confirm.status_code == 200
    assert "Run aging as of May 31, 2026?" in confirm.text
    assert "Yes, run aging as of May 31, 2026" in confirm.text
    assert not AgingRun.objects.exists()

    done = client.post(RUN_URL, {"as_of": "2026-05-31", "confirmed": "yes"})
    run = AgingRun.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("aging_runs:inspect", args=[run.pk])
    assert (run.as_of, run.trigger, run.started_by) == (
        date(2026, 5, 31),
        "back_office",
        supervisor_bob,
    )
    assert run.late_fees_count == 4


@time_machine.travel(TODAY, tick=False)
def test_a_future_date_is_refused_on_the_form(client, supervisor_bob):
    client.force_login(supervisor_bob)
    response = client.post(RUN_URL, {"as_of": "2026-06-02", "confirmed": "yes"})
    assert response.status_code == 200
    assert "not for June 2, 2026" in response.text
    assert not AgingRun.objects.exists()


def test_staff_without_the_permission_cannot_run_aging(client, staff_alice):
    client.force_login(staff_alice)
    assert client.get(RUN_URL).status_code in (302, 403)
    response = client.post(RUN_URL, {"as_of": "2026-01-01", "confirmed": "yes"})
    assert response.status_code in (302, 403)
    assert not AgingRun.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_runs_list_reads_in_words(client, book, supervisor_bob):
    from loans.services.aging import aging_run

    book("L-1", first_due_date=date(2026, 2, 1))
    run = aging_run(as_of=TODAY, actor=supervisor_bob, trigger="command")
    client.force_login(supervisor_bob)
    page = client.get(reverse("aging_runs:index"))
    assert page.status_code == 200
    assert "Command line" in page.text
    assert "91–120 days past due: 1" in page.text
    assert "1 defaulted" in page.text
    inspect = client.get(reverse("aging_runs:inspect", args=[run.pk]))
    assert inspect.status_code == 200
    loans = client.get(reverse("loans:index"))
    assert "Defaulted" in loans.text
