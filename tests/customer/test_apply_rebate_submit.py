"""Submitting the online rebate application enters it through the staff
entry service: one application in "submitted", in the staff workflow, with
the lines and incentives staff entry computes for the same input; the draft
keeps the reference; the customer gets a confirmation page and e-mail. A
refusal is shown on the review page at the step where it is put right."""

from __future__ import annotations

from decimal import Decimal

from django.core import mail
from django.urls import reverse

import pytest
import time_machine
from djmoney.money import Money

from programs.models import RebateApplication
from programs.online import SUBMITTED_REASON, rebate_application_submit_online
from programs.services import LineRequest, rebate_application_create
from tests.customer.rebate_apply_setup import (
    NOON,
    client_for,
    heat_program,
    linked_customer,
    step_url,
    through_measures,
    upload_invoice,
)
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db

ALL_THREE = {"ATTIC": ("1000", ""), "HPWH": ("1", "2500.00"), "TSTAT": ("1", "")}
CONFIRM = {"confirm": "on", "action": "next"}


@pytest.fixture(autouse=True)
def _on_june_15():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def carol():
    return linked_customer("carol")


@pytest.fixture
def program():
    return heat_program()


@pytest.fixture
def ready(carol, program):
    """carol's draft with all three measures and an invoice, at the review."""
    client = client_for(carol)
    draft = through_measures(
        client, program, carol.customer.accounts.get(), **ALL_THREE
    )
    upload_invoice(client, draft)
    return client, draft


def lines_of(application):
    return [
        (line.measure.code, line.quantity, line.invoiced_cost, line.incentive)
        for line in application.lines.select_related("measure").order_by(
            "measure__code"
        )
    ]


def test_submitting_enters_one_application_as_staff_entry_would(
    ready, carol, program, staff_alice, django_capture_on_commit_callbacks
):
    client, draft = ready
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(draft, "review"), CONFIRM)
    assert response["Location"] == reverse(
        "customer:apply_rebate_resume", args=[draft.pk]
    )
    application = RebateApplication.objects.get()
    draft.refresh_from_db()
    assert (application.status, application.prepared_by, application.customer) == (
        "submitted",
        carol,
        carol.customer,
    )
    assert (str(application.install_date), application.contractor_name) == (
        "2026-05-20",
        "Warm Homes LLC",
    )
    assert [d.original_name for d in application.documents.all()] == ["invoice.pdf"]
    assert (draft.submitted, draft.submitted_reference, draft.submitted_at) == (
        application,
        application.reference,
        NOON,
    )
    assert draft.history.first().history_change_reason == SUBMITTED_REASON

    # Staff entering the same measures for a like account get the same lines.
    by_code = {m.code: m for m in program.measures.all()}
    staff_entered = rebate_application_create(
        actor=staff_alice,
        program=program,
        account=UtilityAccountFactory(),
        lines=[
            LineRequest(by_code["ATTIC"], Decimal("1000")),
            LineRequest(by_code["HPWH"], Decimal("1"), Decimal("2500.00")),
            LineRequest(by_code["TSTAT"], Decimal("1")),
        ],
        documents=list(application.documents.all()),
    )
    assert (
        lines_of(application)
        == lines_of(staff_entered)
        == [
            ("ATTIC", Decimal("1000.00"), None, Decimal("500.00")),
            ("HPWH", Decimal("1.00"), Decimal("2500.00"), Decimal("600.00")),
            ("TSTAT", Decimal("1.00"), None, Decimal("75.00")),
        ]
    )
    assert application.requested_amount == Money("1175.00", "USD")

    # It is in the staff workflow: on the back office's application page.
    staff_page = client_for(staff_alice).get(
        f"/admin/rebate_applications/inspect/{application.pk}/"
    )
    assert staff_page.status_code == 200
    assert application.reference in staff_page.content.decode()


def test_the_confirmation_shows_the_reference_and_the_email_says_what_is_next(
    ready, django_capture_on_commit_callbacks
):
    client, draft = ready
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(step_url(draft, "review"), CONFIRM, follow=True)
    reference = RebateApplication.objects.get().reference
    html = page.content.decode()
    assert f"Your reference number is <strong>{reference}</strong>" in html
    assert "$1,175.00" in html
    assert f"Your rebate application {reference} is submitted." in html

    [email] = mail.outbox
    assert email.to == ["jensen@example.org"]
    assert email.subject == f"Your rebate application {reference} is submitted"
    assert f"Reference number: {reference}" in email.body
    assert "Rebate requested: $1,175.00" in email.body
    assert "program staff review the application" in email.body
    status = reverse("customer:apply_rebate_resume", args=[draft.pk])
    assert status in email.body or "/account/applications/" in email.body


def test_submitting_twice_enters_one_application_and_sends_one_email(
    ready, carol, django_capture_on_commit_callbacks
):
    client, draft = ready
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url(draft, "review"), CONFIRM)
        again = client.post(step_url(draft, "review"), CONFIRM)
        first = rebate_application_submit_online(actor=carol, draft=draft)
    assert again["Location"] == reverse("customer:apply_rebate_resume", args=[draft.pk])
    assert RebateApplication.objects.get() == first
    assert len(mail.outbox) == 1


def test_an_eligibility_refusal_is_shown_at_the_eligibility_step_and_enters_nothing(
    ready, carol
):
    client, draft = ready
    account = carol.customer.accounts.get()
    # Between the eligibility page and the submission, the account fell behind.
    account.delinquent_balance = Money("80.00", "USD")
    account.save()
    page = client.post(step_url(draft, "review"), CONFIRM)
    assert page.status_code == 200
    [refusal] = page.context["refusals"]
    assert (refusal["name"], refusal["url"]) == (
        "Eligibility",
        step_url(draft, "eligibility"),
    )
    assert refusal["messages"] == page.context["estimate"].eligibility.failures
    assert len(refusal["messages"]) == 1
    assert refusal["messages"][0] in page.content.decode()
    assert not RebateApplication.objects.exists()
    draft.refresh_from_db()
    assert draft.is_draft()


def test_a_missing_document_is_shown_at_the_measures_step(carol, program):
    client = client_for(carol)
    draft = through_measures(client, program, carol.customer.accounts.get())
    page = client.post(step_url(draft, "review"), CONFIRM)
    assert [(r["name"], r["messages"]) for r in page.context["refusals"]] == [
        ("Measures", ["Attach the required documents: invoice."])
    ]
    assert not RebateApplication.objects.exists()


def test_a_program_closed_since_the_draft_was_started_is_refused(ready, program):
    client, draft = ready
    program.is_active = False
    program.save()
    page = client.post(step_url(draft, "review"), CONFIRM)
    assert [(r["name"], r["messages"]) for r in page.context["refusals"]] == [
        (
            "Program",
            [
                "Home Heating Rebates is not taking applications now; "
                "choose another program."
            ],
        )
    ]
    assert not RebateApplication.objects.exists()
