"""Five presses of Submit at the same moment (PostgreSQL, one connection per
thread): every one lands on the confirmation, and there is one application
(the draft row is locked; the later ones find it sent)."""

from __future__ import annotations

import threading

from django.db import connection, connections
from django.urls import reverse

import pytest

from loans.models import LoanApplication
from tests.customer.apply_loan_setup import Applicant, fill_in, step_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL and real concurrent connections",
    ),
]


def test_five_simultaneous_submissions_make_one_application():
    applicant = Applicant()
    draft = fill_in(applicant.client(), applicant)
    barrier = threading.Barrier(5)
    answers: list[tuple[int, str]] = []

    def press_submit() -> None:
        client = applicant.client()
        try:
            barrier.wait()
            response = client.post(step_url(draft, "review"), {"confirm": "on"})
            answers.append((response.status_code, response.get("Location", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    confirmation = reverse("customer:apply_loan_submitted", args=[draft.pk])
    assert answers == [(302, confirmation)] * 5
    assert LoanApplication.objects.count() == 1
    draft.refresh_from_db()
    assert draft.submitted_reference == LoanApplication.objects.get().reference
