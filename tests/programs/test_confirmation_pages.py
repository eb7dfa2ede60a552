"""What can't be undone is confirmed first: denying an application, cancelling
its approval and voiding a payment. The form on the record's page leads to a
page that says what will happen and changes nothing; only that page's button
(which posts the same input to the action) calls the service."""

import html
import re
from datetime import date

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest
import time_machine

from programs import services as svc
from programs.models import RebateApplication, RebatePayment
from tests.factories import RebateApplicationFactory, RebatePaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(apply, staff_alice):
    return svc.rebate_start_review(actor=staff_alice, application=apply())


@pytest.fixture
def approved(in_review, supervisor_bob):
    return svc.rebate_approve(actor=supervisor_bob, application=in_review)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def form_actions(client, url) -> dict[str, str]:
    """The button label of each form on the page -> where the form posts."""
    content = client.get(url).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)".*?</form>', content, re.S)
    labels = re.findall(
        r'<form method="post" action="[^"]+".*?<button class="button" '
        r'type="submit">([^<]+)</button>',
        content,
        re.S,
    )
    return dict(zip(labels, forms, strict=True))


def confirmation(response) -> tuple[str, dict[str, str], str]:
    """(where the confirm button posts, the input it sends, its label)."""
    content = response.content.decode()
    action = re.search(r'<form method="post" action="([^"]+)">', content)[1]
    hidden = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', content)
    )
    hidden.pop("csrfmiddlewaretoken", None)
    label = re.search(
        r'<button class="button no" type="submit">([^<]+)</button>', content
    )
    return action, {k: html.unescape(v) for k, v in hidden.items()}, label[1]


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_deny_cancel_and_pay_post_to_their_confirmation_other_actions_act_at_once(
    client, staff_alice, in_review
):
    client.force_login(staff_alice)
    page = reverse("rebate_applications:inspect", args=[in_review.pk])
    actions = form_actions(client, page)
    assert actions["Deny"] == reverse(
        "rebate_action_confirm", args=[in_review.pk, "deny"]
    )
    assert actions["Approve"] == reverse(
        "rebate_action", args=[in_review.pk, "approve"]
    )
    approved = RebateApplicationFactory(
        status="approved", approved_amount=in_review.requested_amount
    )
    actions = form_actions(
        client, reverse("rebate_applications:inspect", args=[approved.pk])
    )
    assert actions == {
        "Cancel approval": reverse(
            "rebate_action_confirm", args=[approved.pk, "cancel"]
        ),
        "Pay by check": reverse(
            "rebate_action_confirm", args=[approved.pk, "pay_by_check"]
        ),
        "Pay by bill credit": reverse(
            "rebate_action_confirm", args=[approved.pk, "pay_by_bill_credit"]
        ),
    }


def test_denial_is_confirmed_before_it_is_made(client, staff_alice, in_review):
    ref = f"RA-{in_review.pk:06d}"
    client.force_login(staff_alice)
    first = client.post(
        reverse("rebate_action_confirm", args=[in_review.pk, "deny"]),
        {"reasons": "Installed before the program year."},
    )
    assert first.status_code == 200
    text = page_text(first)
    assert f"{ref} (Pat Customer" in text
    assert "will be denied for these reasons: Installed before the program year." in (
        text
    )
    assert "A denial is final" in text
    in_review.refresh_from_db()
    assert in_review.status == "in_review"  # the first click changes nothing

    action, data, label = confirmation(first)
    assert (action, data, label) == (
        reverse("rebate_action", args=[in_review.pk, "deny"]),
        {"reasons": "Installed before the program year."},
        f"Deny {ref}",
    )
    second = client.post(action, data)
    assert second.status_code == 302
    assert shown(second) == [f"{ref}: denied."]
    in_review.refresh_from_db()
    assert (in_review.status, in_review.decision_reasons) == (
        "denied",
        "Installed before the program year.",
    )


def test_cancelling_an_approval_says_what_is_released(client, supervisor_bob, approved):
    ref = f"RA-{approved.pk:06d}"
    client.force_login(supervisor_bob)
    first = client.post(
        reverse("rebate_action_confirm", args=[approved.pk, "cancel"]),
        {"reason": "Customer withdrew."},
    )
    assert first.status_code == 200
    text = page_text(first)
    assert "will be cancelled because: Customer withdrew." in text
    assert (
        "The $300.00 reserved for it is released to REE's budget: the remaining "
        "budget goes from $700.00 to $1,000.00." in text
    )
    approved.refresh_from_db()
    assert approved.status == "approved"

    action, data, label = confirmation(first)
    assert label == "Cancel the approval"
    second = client.post(action, data)
    assert shown(second) == [
        f"{ref}: approval cancelled; $300.00 released to REE's budget."
    ]
    approved.refresh_from_db()
    assert approved.status == "cancelled"


def test_a_confirmation_is_refused_like_the_action(
    client, post_for_messages, staff_alice, cashier_casey
):
    app = RebateApplicationFactory(status="submitted")
    url = reverse("rebate_action_confirm", args=[app.pk, "deny"])
    back = reverse("rebate_applications:inspect", args=[app.pk])

    client.force_login(staff_alice)
    response, messages = post_for_messages(url, {"reasons": "  "})
    assert (response.status_code, response["Location"]) == (302, back)
    assert messages == ["Reasons: Give the reasons for the denial."]

    client.force_login(cashier_casey)
    response, messages = post_for_messages(url, {"reasons": "No."})
    assert (response.status_code, response["Location"]) == (302, back)
    assert messages == ["You don't have permission to work on rebate applications."]
    app.refresh_from_db()
    assert app.status == "submitted"


def test_only_the_actions_that_cant_be_undone_have_a_confirmation(client, staff_alice):
    app = RebateApplicationFactory(status="submitted")
    client.force_login(staff_alice)
    assert (
        client.post(
            reverse("rebate_action_confirm", args=[app.pk, "start_review"])
        ).status_code
        == 404
    )
    # Opening the confirmation's address goes back to the application.
    response = client.get(reverse("rebate_action_confirm", args=[app.pk, "deny"]))
    assert response["Location"] == reverse("rebate_applications:inspect", args=[app.pk])


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_voiding_a_check_is_confirmed_before_it_is_made(client, supervisor_bob):
    payment = RebatePaymentFactory(check_number="7001")
    ref = f"RA-{payment.application.pk:06d}"
    client.force_login(supervisor_bob)
    page = reverse("rebate_payments:inspect", args=[payment.pk])
    assert form_actions(client, page) == {
        "Void payment": reverse("rebate_payment_void_confirm", args=[payment.pk])
    }
    first = client.post(
        reverse("rebate_payment_void_confirm", args=[payment.pk]),
        {"reason": "Check lost in the mail.", "voided_on": "2026-04-09"},
    )
    assert first.status_code == 200
    text = page_text(first)
    assert (
        f"Check 7001 of $300.00 for {ref} (Pat Customer" in text
        and "paid on April 1, 2026, will be void as of April 9, 2026 because: "
        "Check lost in the mail."
        in text
    )
    assert f"{ref} goes back to approved" in text
    assert "Check number 7001 stays used: it can't be issued again." in text
    payment.refresh_from_db()
    assert payment.status == "issued"

    action, data, label = confirmation(first)
    assert (action, data, label) == (
        reverse("rebate_payment_void", args=[payment.pk]),
        {"reason": "Check lost in the mail.", "voided_on": "2026-04-09"},
        "Void the check 7001",
    )
    second = client.post(action, data)
    assert shown(second) == [
        f"{ref}: payment of $300.00 voided; the approval is reserved again."
    ]
    payment.refresh_from_db()
    assert (payment.status, payment.voided_on) == ("void", date(2026, 4, 9))
    assert RebateApplication.objects.get().status == "approved"


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_voiding_a_bill_credit_says_the_billing_system_is_not_told(
    client, supervisor_bob
):
    payment = RebatePaymentFactory(method="bill_credit", check_number="")
    client.force_login(supervisor_bob)
    first = client.post(
        reverse("rebate_payment_void_confirm", args=[payment.pk]),
        {"reason": "Wrong account.", "voided_on": ""},
    )
    text = page_text(first)
    assert "The bill credit of $300.00" in text
    assert "will be void as of April 15, 2026" in text  # no date: today
    assert "Nothing is sent to the billing system from here" in text
    assert confirmation(first)[2] == "Void the bill credit"
    assert RebatePayment.objects.get().status == "issued"


def test_a_void_confirmation_is_refused_with_the_predicates_reason(client, staff_alice):
    payment = RebatePaymentFactory()
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_payment_void_confirm", args=[payment.pk]), {"reason": "Lost."}
    )
    assert response["Location"] == reverse("rebate_payments:inspect", args=[payment.pk])
    assert shown(response) == ["You don't have permission to void rebate payments."]
    payment.refresh_from_db()
    assert payment.status == "issued"


# --------------------------------------------------------------------------
# Paying one application from its page
# --------------------------------------------------------------------------


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_paying_one_rebate_by_check_is_confirmed_before_the_check_is_issued(
    client, staff_alice, approved
):
    ref = f"RA-{approved.pk:06d}"
    client.force_login(staff_alice)
    first = client.post(
        reverse("rebate_action_confirm", args=[approved.pk, "pay_by_check"]),
        {"check_number": "7001", "paid_on": "2026-04-09"},
    )
    assert first.status_code == 200
    text = page_text(first)
    assert "Pay RA-" in text and f"{ref} by check?" in text
    name = approved.customer.display_name
    assert (
        f"Check 7001 for $300.00 will be issued to {name} for {ref} "
        f"({name}, REE), dated April 9, 2026." in text
    )
    assert "check number 7001 can't be used again" in text
    assert not RebatePayment.objects.exists()  # the first click changes nothing

    action, data, label = confirmation(first)
    assert (action, data, label) == (
        reverse("rebate_action", args=[approved.pk, "pay_by_check"]),
        {"check_number": "7001", "paid_on": "2026-04-09"},
        "Issue the check",
    )
    second = client.post(action, data)
    payment = RebatePayment.objects.get()
    assert second["Location"] == reverse("rebate_check_batch", args=[payment.batch_id])
    assert shown(second) == [
        f"{ref}: check 7001 for $300.00 issued (check batch {payment.batch_id}); "
        "download the payment register below."
    ]
    approved.refresh_from_db()
    assert approved.status == "paid"


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_paying_one_rebate_by_bill_credit_is_confirmed_and_its_file_kept(
    client, staff_alice, approved
):
    ref = f"RA-{approved.pk:06d}"
    account = approved.account.number
    client.force_login(staff_alice)
    first = client.post(
        reverse("rebate_action_confirm", args=[approved.pk, "pay_by_bill_credit"]),
        {"paid_on": ""},
    )
    text = page_text(first)
    name = approved.customer.display_name
    assert (
        f"A bill credit of $300.00 on account {account} will be recorded for "
        f"{ref} ({name}, REE), dated April 10, 2026." in text
    )
    assert not RebatePayment.objects.exists()

    action, data, label = confirmation(first)
    assert label == "Record the bill credit"
    second = client.post(action, data)
    payment = RebatePayment.objects.get()
    assert payment.credit_file is not None
    assert second["Location"] == reverse(
        "rebate_bill_credit_file", args=[payment.credit_file_id]
    )
    assert shown(second) == [
        f"{ref}: bill credit of $300.00 recorded on account {account}, dated "
        "April 10, 2026; download the file for the billing system below."
    ]
    assert payment.credit_file.content.splitlines()[1] == (
        f"{account},300.00,2026-04-10,{ref},REE rebate"
    )
    assert payment.credit_file.created_by == staff_alice


def test_a_bad_check_number_is_refused_before_the_confirmation(
    client, staff_alice, approved
):
    client.force_login(staff_alice)
    response = client.post(
        reverse("rebate_action_confirm", args=[approved.pk, "pay_by_check"]),
        {"check_number": "abc"},
    )
    assert response.status_code == 302
    assert shown(response) == [f"Check number: {svc.CHECK_NUMBER}"]
    assert not RebatePayment.objects.exists()
