"""Counter and mail-in payments from the loan page, their printable receipts,
and reversal through a confirmation page.

Each action: the happy path, each refusal as the service's words on the form
(200) or the predicate's as a message (302), never a 500; who may do it."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine

from loans.choices import PaymentMethod, PaymentStatus
from loans.models import LedgerEntry, Payment
from loans.services.payments import payment_post, payment_reverse

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def loan(book):
    """$10,000.00 at 5% for 60 months, disbursed January 1, first due February 1
    (Carol Jensen)."""
    return book("L-1")


@pytest.fixture
def posted(loan, cashier_casey):
    return payment_post(
        actor=cashier_casey,
        loan=loan,
        amount=Decimal("100.00"),
        received_on=date(2026, 2, 1),
        method=PaymentMethod.CHECK,
        reference="CHK-1",
    ).payment


def post(client, loan, **overrides):
    data = {
        "amount": "188.71",
        "received_on": "2026-03-02",
        "method": "cash",
        "reference": "CTR-0001",
        **overrides,
    }
    return client.post(reverse("loan_post_payment", args=[loan.pk]), data)


# --------------------------------------------------------------------------
# Entry
# --------------------------------------------------------------------------


def test_the_loan_page_offers_payment_entry_to_a_cashier(client, loan, cashier_casey):
    client.force_login(cashier_casey)
    response = client.get(reverse("loans:inspect", args=[loan.pk]))
    page = text(response)
    assert "Post a payment" in page
    for field, label in [
        ("amount", "Amount"),
        ("received_on", "Received on"),
        ("method", "Paid by"),
        ("reference", "Reference"),
    ]:
        assert f'<label class="w-field__label" for="id_payment_{field}"' in page
        assert label in page
    form = response.context["payment_form"]
    assert form["received_on"].value() == TODAY
    assert form.fields["method"].choices == [
        ("", "Choose…"),
        ("cash", "Cash"),
        ("check", "Check"),
        ("ach", "ACH"),
        ("card", "Card"),
        ("on_bill", "On the utility bill"),
    ]


def test_staff_without_post_payment_are_not_offered_it(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = client.get(reverse("loans:inspect", args=[loan.pk]))
    assert response.context["payment_form"] is None
    assert "Post a payment" not in text(response)


def test_staff_without_post_payment_cannot_post(client, loan, staff_alice):
    client.force_login(staff_alice)
    response = post(client, loan)
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        "You don't have permission to post payments."
    ]
    assert not Payment.objects.exists()


def test_a_counter_payment_posts_and_shows_its_receipt(client, loan, cashier_casey):
    cashier_casey.first_name, cashier_casey.last_name = "Casey", "Ng"
    cashier_casey.save()
    client.force_login(cashier_casey)
    response = post(client, loan)
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("loan_payment_receipt", args=[payment.pk])
    receipt = client.get(response["Location"])
    assert messages_of(receipt) == [
        "Payment CTR-0001 of $188.71 posted to loan L-1: $0.00 to fees, $41.67 to "
        "interest, $147.04 to principal."
    ]
    page = text(receipt)
    for shown in [
        '<th scope="row">Loan</th><td>L-1</td>',
        '<th scope="row">Customer</th><td>Carol Jensen</td>',
        '<th scope="row">Amount received</th><td>$188.71</td>',
        '<th scope="row">Received on</th><td>March 2, 2026</td>',
        '<th scope="row">Paid by</th><td>Cash</td>',
        '<th scope="row">Reference</th><td>CTR-0001</td>',
        '<th scope="row">Fees</th><td>$0.00</td>',
        '<th scope="row">Interest</th><td>$41.67</td>',
        '<th scope="row">Principal</th><td>$147.04</td>',
        "Principal balance after this payment: <strong>$9,852.96</strong>",
        "Posted by Casey Ng on March 2, 2026",
        '<button type="button" class="button" data-loans-print>Print receipt</button>',
        "/static/loans/print.js",
    ]:
        assert shown in page
    assert (payment.amount, payment.method, payment.posted_by) == (
        Decimal("188.71"),
        PaymentMethod.CASH,
        cashier_casey,
    )


def test_the_receipt_balance_is_the_one_right_after_that_payment(
    client, loan, posted, cashier_casey
):
    """A later payment does not change an earlier receipt's balance."""
    client.force_login(cashier_casey)
    post(client, loan, amount="500.00")
    page = text(client.get(reverse("loan_payment_receipt", args=[posted.pk])))
    # February 1: $41.67 interest, $58.33 principal.
    assert "Principal balance after this payment: <strong>$9,941.67</strong>" in page


def test_a_replayed_reference_shows_the_original_receipt(
    client, loan, posted, cashier_casey
):
    client.force_login(cashier_casey)
    response = post(
        client,
        loan,
        amount="100.00",
        received_on="2026-02-01",
        method="check",
        reference="CHK-1",
    )
    assert response["Location"] == reverse("loan_payment_receipt", args=[posted.pk])
    receipt = client.get(response["Location"])
    assert messages_of(receipt) == [
        "Payment CHK-1 was already posted on March 2, 2026 by Casey; nothing was "
        "posted again. This is its receipt."
    ]
    assert "<td>CHK-1</td>" in text(receipt)
    assert Payment.objects.count() == 1


def test_a_replay_with_a_different_amount_is_refused_on_the_reference(
    client, loan, posted, cashier_casey
):
    client.force_login(cashier_casey)
    response = post(
        client,
        loan,
        amount="150.00",
        received_on="2026-02-01",
        method="check",
        reference="CHK-1",
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": [
            "Reference CHK-1 was already posted with a different amount: posted "
            "$100.00, this request $150.00. Nothing was posted; use a new "
            "reference for a new payment."
        ]
    }
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"amount": "100.005"},
            "amount",
            "Amounts are in dollars and cents: '100.005' has more than two decimal "
            "places.",
        ),
        (
            {"amount": "1e2"},
            "amount",
            "Write '1e2' out in digits; amounts with an exponent are not accepted.",
        ),
        ({"amount": ""}, "amount", "Enter an amount."),
        ({"amount": "0.00"}, "amount", "A payment must be more than $0.00."),
        (
            {"amount": "20000.00"},
            "amount",
            "$20,000.00 is more than the payoff of $10,084.09 on 2026-03-02; post "
            "at most the payoff amount.",
        ),
        (
            {"reference": ""},
            "reference",
            "A payment reference is required (the cashiering system's ID).",
        ),
        (
            {"reference": "CTR 1"},
            "reference",
            "A payment reference may contain only letters, digits, '-', '_' and "
            "'.', and must start with a letter or digit.",
        ),
        (
            {"received_on": "2026-03-03"},
            "received_on",
            "The received date can't be in the future (today is 2026-03-02).",
        ),
        (
            {"received_on": "2025-12-31"},
            "received_on",
            "The payment was received on 2025-12-31, before the loan was disbursed "
            "on 2026-01-01.",
        ),
        ({"method": ""}, "method", "Choose how the payment was made."),
        ({"method": "bitcoin"}, "method", "Choose one of the listed payment methods."),
    ],
)
def test_payment_refusals_land_on_the_form(
    client, loan, cashier_casey, overrides, field, message
):
    client.force_login(cashier_casey)
    response = post(client, loan, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in text(response)
    assert not Payment.objects.exists()


def test_a_loan_in_closing_takes_no_payment(client, loan, cashier_casey):
    from loans.models import Loan

    closing = Loan.objects.create(
        number="L-CLOSING",
        customer=loan.customer,
        product=loan.product,
        principal=Decimal("1000.00"),
        annual_rate=Decimal("5.00"),
        term_months=12,
        installment_amount=Decimal("85.61"),
        first_due_date=date(2026, 5, 1),
    )
    client.force_login(cashier_casey)
    page = client.get(reverse("loans:inspect", args=[closing.pk]))
    assert page.context["payment_form"] is None
    response = post(client, closing)
    assert messages_of(client.get(response["Location"])) == [
        "Loan L-CLOSING is closing (not yet disbursed); payments post only to an "
        "active loan."
    ]


# --------------------------------------------------------------------------
# Reversal (with confirmation)
# --------------------------------------------------------------------------


def test_the_loan_page_offers_reverse_only_to_those_who_may(
    client, loan, posted, cashier_casey, staff_alice
):
    url = reverse("loan_payment_reversal", args=[posted.pk])
    client.force_login(cashier_casey)
    assert f'href="{url}"' in text(client.get(reverse("loans:inspect", args=[loan.pk])))
    client.force_login(staff_alice)
    assert url not in text(client.get(reverse("loans:inspect", args=[loan.pk])))


def test_reverse_shows_the_payment_and_asks_first(client, posted, cashier_casey):
    client.force_login(cashier_casey)
    response = client.get(reverse("loan_payment_reversal", args=[posted.pk]))
    assert response.status_code == 200
    page = text(response)
    for shown in [
        "Reverse payment CHK-1?",
        '<th scope="row">Amount</th><td>$100.00</td>',
        '<th scope="row">Received on</th><td>February 1, 2026</td>',
        '<th scope="row">Reference</th><td>CHK-1</td>',
        "Yes, reverse payment CHK-1",
        'for="id_reason"',
        'for="id_note"',
    ]:
        assert shown in page
    assert response.context["form"].fields["reason"].choices == [
        ("", "Choose…"),
        ("nsf", "Returned check (NSF)"),
        ("returned", "Returned payment (ACH/card)"),
        ("posting_error", "Posting error"),
    ]
    posted.refresh_from_db()
    assert posted.status == PaymentStatus.POSTED


def test_the_reason_is_required(client, posted, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(reverse("loan_payment_reversal", args=[posted.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Choose why the payment is reversed."]
    }
    posted.refresh_from_db()
    assert posted.status == PaymentStatus.POSTED


def test_the_confirm_post_reverses_with_the_fee(client, posted, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_payment_reversal", args=[posted.pk]),
        {"reason": "nsf", "note": "Bank returned it"},
    )
    assert response["Location"] == reverse("loans:inspect", args=[posted.loan_id])
    assert messages_of(client.get(response["Location"])) == [
        "Payment CHK-1 of $100.00 received February 1, 2026 reversed: Returned "
        "check (NSF); a returned-payment fee of $25.00 was added to the loan."
    ]
    posted.refresh_from_db()
    assert (posted.status, posted.reversal_reason, posted.reversal_note) == (
        PaymentStatus.REVERSED,
        "nsf",
        "Bank returned it",
    )
    receipt = text(client.get(reverse("loan_payment_receipt", args=[posted.pk])))
    assert (
        "This payment was reversed on March 2, 2026: Returned check (NSF) "
        "(Bank returned it)." in receipt
    )


def test_a_posting_error_adds_no_fee(client, posted, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_payment_reversal", args=[posted.pk]),
        {"reason": "posting_error"},
        follow=True,
    )
    assert messages_of(response) == [
        "Payment CHK-1 of $100.00 received February 1, 2026 reversed: Posting error."
    ]
    assert not LedgerEntry.objects.filter(kind="fee_assessed").exists()


def test_reversing_twice_is_refused_with_the_predicates_words(
    client, posted, cashier_casey
):
    payment_reverse(actor=cashier_casey, payment=posted, reason="posting_error")
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_payment_reversal", args=[posted.pk]),
        {"reason": "nsf"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "Payment CHK-1 was already reversed on 2026-03-02."
    ]


def test_staff_without_post_payment_cannot_reverse(client, posted, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("loan_payment_reversal", args=[posted.pk]),
        {"reason": "nsf"},
        follow=True,
    )
    assert messages_of(response) == ["You don't have permission to reverse payments."]
    posted.refresh_from_db()
    assert posted.status == PaymentStatus.POSTED


def test_a_control_character_in_the_note_is_refused(client, posted, cashier_casey):
    client.force_login(cashier_casey)
    response = client.post(
        reverse("loan_payment_reversal", args=[posted.pk]),
        {"reason": "nsf", "note": "bad\x07bell"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Remove the control character (such as NUL) from the text."]
    }
