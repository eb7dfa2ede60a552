"""Bad input to the loans API is a 400 (or a 409 for a conflict) with a field
message, never a 500 and never silently accepted: plausible dates, ownership
of the account, identifiers, control characters, strict JSON, and replays
that tell the truth."""

from datetime import date

import pytest
import time_machine

from loans.models import Loan, Payment
from tests.factories import CustomerFactory, UtilityAccountFactory
from tests.loans.payloads import BOOK

pytestmark = pytest.mark.django_db

PAYMENT = {
    "amount": "188.71",
    "received_on": "2026-02-01",
    "method": "ach",
    "reference": "ACH-1",
}


@pytest.fixture
def api(api_client_for, cashiering_system):
    return api_client_for(cashiering_system)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def booked(api):
    with time_machine.travel(date(2026, 3, 1), tick=False):
        assert post(api, "/api/v1/loans", BOOK).status_code == 201
    return "/api/v1/loans/EE-2026-0001/payments"


def test_a_loan_is_not_booked_onto_another_customers_account(api):
    carol = CustomerFactory(
        first_name="Carol", last_name="Jensen", email="c@example.org"
    )
    UtilityAccountFactory(number="200001", customer=carol)
    body = {**BOOK, "account_number": "200001", "customer": {"name": "Mallory Other"}}
    response = post(api, "/api/v1/loans", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "account_number": [
            "Utility account 200001 belongs to another customer; a loan is booked "
            "only onto the borrower's own account."
        ]
    }
    assert not Loan.objects.exists()


def test_the_borrowers_own_existing_account_is_used(api):
    walter = CustomerFactory(
        first_name="Walter", last_name="Okafor", email="walter@example.org"
    )
    UtilityAccountFactory(number="100002", customer=walter)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        assert post(api, "/api/v1/loans", BOOK).status_code == 201
    assert Loan.objects.get().customer == walter


@time_machine.travel(date(2026, 3, 1), tick=False)
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"disbursed_on": "1900-01-01", "first_due_date": "1900-02-01"},
            "disbursed_on",
            "The disbursement date 1900-01-01 is before 1990-01-01, the earliest "
            "date a booked loan may carry.",
        ),
        (
            {"disbursed_on": "2026-03-02", "first_due_date": "2026-04-01"},
            "disbursed_on",
            "The disbursement date can't be in the future (today is 2026-03-01).",
        ),
        (
            {"first_due_date": "2027-06-01"},
            "first_due_date",
            "The first due date must be within 366 days of the disbursement date.",
        ),
    ],
)
def test_a_booked_loans_dates_must_be_plausible(api, changes, field, message):
    response = post(api, "/api/v1/loans", {**BOOK, **changes})
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_a_payment_cannot_be_received_tomorrow(api, booked):
    response = post(api, booked, {**PAYMENT, "received_on": "2026-03-02"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "received_on": [
            "The received date can't be in the future (today is 2026-03-01)."
        ]
    }
    assert not Payment.objects.exists()


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_a_payment_cannot_predate_the_disbursement(api, booked):
    response = post(api, booked, {**PAYMENT, "received_on": "2025-12-31"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "received_on": [
            "The payment was received on 2025-12-31, before the loan was "
            "disbursed on 2026-01-01."
        ]
    }


@time_machine.travel(date(2026, 3, 1), tick=False)
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"reference": "ACH\x001"},
            "reference",
            "A payment reference may contain only letters, digits, '-', '_' and "
            "'.', and must start with a letter or digit.",
        ),
        (
            {"reference": "<b>1</b>"},
            "reference",
            "A payment reference may contain only letters, digits, '-', '_' and "
            "'.', and must start with a letter or digit.",
        ),
        ({"amount": 188.71}, "amount", 'Send amounts as JSON strings such as "12.34".'),
        ({"amount": 188}, "amount", 'Send amounts as JSON strings such as "12.34".'),
        (
            {"amount": "1e-2"},
            "amount",
            "Write '1e-2' out in digits; amounts with an exponent are not accepted.",
        ),
        (
            {"amount": "１８８.７１"},
            "amount",
            "'１８８.７１' is not an amount of money; use digits with an optional "
            "decimal point, for example 1234.56.",
        ),
        ({"ammount": "1.00"}, "ammount", "Extra inputs are not permitted"),
    ],
)
def test_malformed_payment_input_is_a_400_on_its_field(
    api, booked, changes, field, message
):
    response = post(api, booked, {**PAYMENT, **changes})
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Payment.objects.exists()


def test_a_loan_number_with_a_slash_or_markup_is_refused(api):
    for number in ("EE/2026/1", "<i>EE</i>"):
        response = post(api, "/api/v1/loans", {**BOOK, "number": number})
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "number": [
                "A loan number may contain only letters, digits, '-', '_' and '.', "
                "and must start with a letter or digit."
            ]
        }


def test_a_nul_in_a_customer_name_is_a_400(api):
    response = post(
        api, "/api/v1/loans", {**BOOK, "customer": {"name": "Walter\x00Okafor"}}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "customer.name": ["Remove the control character (such as NUL) from the text."]
    }


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_a_replay_with_the_same_payload_is_200_with_the_original(api, booked):
    first = post(api, booked, PAYMENT)
    again = post(api, booked, PAYMENT)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


@time_machine.travel(date(2026, 3, 1), tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"amount": "9999.00"},
            "Reference ACH-1 was already posted with a different amount: posted "
            "$188.71, this request $9,999.00. Nothing was posted; use a new "
            "reference for a new payment.",
        ),
        (
            {"received_on": "2026-02-02", "method": "check"},
            "Reference ACH-1 was already posted with a different received date and "
            "method: posted 2026-02-01, this request 2026-02-02; posted ach, this "
            "request check. Nothing was posted; use a new reference for a new "
            "payment.",
        ),
    ],
)
def test_a_replay_with_a_different_payload_is_a_409_naming_the_difference(
    api, booked, changes, message
):
    assert post(api, booked, PAYMENT).status_code == 201
    response = post(api, booked, {**PAYMENT, **changes})
    assert response.status_code == 409
    assert response.json() == {"message": message}
    assert Payment.objects.count() == 1
