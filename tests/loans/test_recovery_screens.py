"""The Recovery screens: write-off proposed and approved through
confirmation pages, refusals shown as the service's words (never a 500),
recoveries and claims from the loan's Recovery page."""

from __future__ import annotations

import html
from datetime import date

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
import time_machine
from djmoney.money import Money

from loans.choices import LoanStatus, WriteOffStatus
from loans.models import LoanProduct, WriteOff
from loans.services.claims import guarantee_claim_prepare
from loans.services.writeoffs import recovery_post, write_off_propose
from portal import roles
from portal.models import ApprovalLimit
from portal.transitions import SAME_PERSON
from tests.loans.recovery_helpers import make_defaulted, write_off

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 6, 10), tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_write_off_is_proposed_and_approved_through_confirmation_pages(
    client, book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    client.force_login(staff_alice)
    page = client.get(reverse("loan_recovery", args=[loan.pk]))
    assert page.status_code == 200
    assert "Propose a write-off" in text(page)

    url = reverse("loan_write_off_propose", args=[loan.pk])
    form = {"as_of": "2026-06-01", "reason": "Debtor deceased, no estate"}
    confirm = client.post(url, form)
    assert confirm.status_code == 200
    assert "$10,202.18" in text(confirm) and "$202.18" in text(confirm)
    assert not WriteOff.objects.exists()
    done = client.post(url, {**form, "confirmed": "on"})
    assert done.status_code == 302
    proposal = WriteOff.objects.get()

    # Program staff are offered no Approve button, and are refused if they try.
    page = client.get(reverse("loan_recovery", args=[loan.pk]))
    assert reverse("loan_write_off_approve", args=[proposal.pk]) not in text(page)
    refused = client.get(
        reverse("loan_write_off_approve", args=[proposal.pk]), follow=True
    )
    assert "You don't have permission to approve write-offs." in text(refused)

    client.force_login(supervisor_bob)
    approve = reverse("loan_write_off_approve", args=[proposal.pk])
    assert "Yes, write off $10,202.18" in text(client.get(approve))
    assert client.post(approve).status_code == 302
    proposal.refresh_from_db()
    loan.refresh_from_db()
    assert proposal.status == WriteOffStatus.APPROVED
    assert loan.status == LoanStatus.WRITTEN_OFF


def test_the_supervisor_who_proposed_a_write_off_is_refused_its_approval(
    client, book, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    client.force_login(supervisor_bob)
    url = reverse("loan_write_off_propose", args=[loan.pk])
    form = {"as_of": "2026-06-01", "reason": "Uncollectable", "confirmed": "on"}
    assert client.post(url, form).status_code == 302
    proposal = WriteOff.objects.get()
    refused = client.get(
        reverse("loan_write_off_approve", args=[proposal.pk]), follow=True
    )
    assert SAME_PERSON in text(refused)
    proposal.refresh_from_db()
    assert proposal.status == WriteOffStatus.PROPOSED


def test_a_refused_recovery_shows_the_services_message_on_the_form(
    client, book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    write_off(loan, staff_alice, supervisor_bob)
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("loan_recovery_post", args=[loan.pk]),
        {
            "amount": "10202.19",
            "received_on": "2026-06-05",
            "method": "check",
            "reference": "REC-1",
            "source": "borrower",
        },
    )
    assert response.status_code == 200
    assert "at most $10,202.18 can be posted" in text(response)
    ok = client.post(
        reverse("loan_recovery_post", args=[loan.pk]),
        {
            "amount": "1,000.00",
            "received_on": "2026-06-05",
            "method": "check",
            "reference": "REC-1",
            "source": "agency",
        },
    )
    assert ok.status_code == 302
    page = text(client.get(reverse("loan_recovery", args=[loan.pk])))
    assert "Left to recover" not in page  # the form's words, not the page's
    assert "left to recover: $9,202.18" in page


def test_legal_steps_and_a_claim_from_the_recovery_page(client, book, staff_alice):
    product = LoanProduct.objects.get(code="EE")
    product.state_guaranteed = True
    product.save()
    loan = make_defaulted(book("L-1"))
    client.force_login(staff_alice)
    assert (
        client.post(
            reverse("loan_attorney_referral", args=[loan.pk]),
            {"referred_on": "2026-06-02", "attorney": "Dana Whitfield"},
        ).status_code
        == 302
    )
    # A judgment dated before the referral: the message lands on the form.
    refused = client.post(
        reverse("loan_judgment", args=[loan.pk]),
        {
            "case_number": "26-CV-1",
            "court": "Municipal Court",
            "amount": "500.00",
            "judgment_on": "2026-06-01",
        },
    )
    assert refused.status_code == 200
    assert "can't be before the referral" in text(refused)
    claim = guarantee_claim_prepare(
        actor=staff_alice, loan=loan, prepared_on=date(2026, 6, 5)
    )
    page = text(client.get(reverse("loan_recovery", args=[loan.pk])))
    assert "Record submission" in page and "$10,000.00" in page
    pdf = client.get(reverse("loan_claim_pdf", args=[claim.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    bad = client.get(reverse("loan_claim_action", args=[claim.pk, "explode"]))
    assert bad.status_code == 302


def test_the_queue_lists_write_offs_waiting_for_approval(
    client, book, staff_alice, supervisor_bob, cashier_casey
):
    loan = make_defaulted(book("L-1"))
    write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    client.force_login(supervisor_bob)
    page = text(client.get(reverse("loan_recovery_queue")))
    assert "L-1" in page and "$10,202.18" in page and "June 1, 2026" in page


def test_a_written_off_loans_page_and_a_recovery_receipt_open(
    client, book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    write_off(loan, staff_alice, supervisor_bob)
    recovery = recovery_post(
        actor=supervisor_bob,
        loan=loan,
        amount="250.00",
        received_on=date(2026, 6, 5),
        method="check",
        reference="REC-1",
    )
    client.force_login(supervisor_bob)
    page = client.get(reverse("loans:inspect", args=[loan.pk]))
    assert page.status_code == 200
    assert reverse("loan_recovery", args=[loan.pk]) in text(page)
    assert "REC-1" in text(page)
    receipt = client.get(reverse("loan_payment_receipt", args=[recovery.payment_id]))
    assert receipt.status_code == 200


def test_a_write_off_over_the_approvers_limit_is_refused_on_the_confirmation_page(
    client, book, staff_alice, supervisor_bob
):
    limit = ApprovalLimit.objects.get(
        group=Group.objects.get(name=roles.SUPERVISOR), action="write_off"
    )
    limit.max_amount = Money("10000.00", "USD")
    limit.save()
    loan = make_defaulted(book("L-1"))
    proposal = write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    client.force_login(supervisor_bob)
    response = client.post(reverse("loan_write_off_approve", args=[proposal.pk]))
    assert response.status_code == 200
    assert (
        "$10,202.18 is above Bob's approval limit of $10,000.00 for a write-off."
        in text(response)
    )
    proposal.refresh_from_db()
    assert proposal.status == WriteOffStatus.PROPOSED
