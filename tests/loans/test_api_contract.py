"""The cashiering API contract, status code by status code."""

from datetime import date

import pytest
import time_machine

from loans.models import Loan, Payment
from tests.loans.payloads import BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_for, cashiering_system):
    return api_client_for(cashiering_system)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@time_machine.travel(date(2026, 1, 15), tick=False)
def test_booking_a_loan_is_201_with_the_loan_on_its_own_terms(api):
    response = post(api, "/api/v1/loans", {**BOOK, "annual_rate": "4.25"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "EE-2026-0001"
    assert body["status"] == "active"
    assert body["product"] == "EE"
    assert body["principal"] == "10000.00"
    assert body["annual_rate"] == "4.25"
    assert body["term_months"] == 60
    assert body["installment_amount"] == "185.30"
    assert body["first_due_date"] == "2026-02-01"
    assert body["maturity_date"] == "2031-01-01"
    assert body["next_due_date"] == "2026-02-01"
    assert body["days_past_due"] == 0
    assert body["balance"] == {
        "principal": "10000.00",
        "interest": "0.00",
        "fees": "0.00",
        "total": "10000.00",
    }


def test_booking_an_existing_number_is_409(api):
    assert post(api, "/api/v1/loans", BOOK).status_code == 201
    response = post(api, "/api/v1/loans", BOOK)
    assert response.status_code == 409
    assert response.json()["message"] == "Loan number EE-2026-0001 already exists."
    assert Loan.objects.count() == 1


def test_booking_with_bad_fields_is_400_with_a_message_per_field(api):
    response = post(
        api,
        "/api/v1/loans",
        {**BOOK, "principal": "10.005", "product": "NOPE", "term_months": 0},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"principal", "term_months"}
    response = post(
        api,
        "/api/v1/loans",
        {**BOOK, "product": "NOPE", "first_due_date": "2025-12-01"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"product", "first_due_date"}
    assert Loan.objects.count() == 0


def test_booking_needs_the_book_loan_permission(api_client_for, staff_alice):
    response = post(api_client_for(staff_alice), "/api/v1/loans", BOOK)
    assert response.status_code == 403


def test_every_loan_endpoint_is_401_without_a_token(client, book):
    book("L-1")
    for url in [
        "/api/v1/loans/L-1",
        "/api/v1/loans/L-1/schedule",
        "/api/v1/loans/L-1/payoff",
    ]:
        assert client.get(url).status_code == 401
    assert post(client, "/api/v1/loans/L-1/payments", {}).status_code == 401
    assert post(client, "/api/v1/payments/1/reversal", {}).status_code == 401


def test_an_unknown_loan_is_404(api):
    assert api.get("/api/v1/loans/NOPE").status_code == 404


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_a_payment_is_201_with_its_allocation_and_a_repeat_is_200(api, book):
    book("L-1")
    body = {
        "amount": "188.71",
        "received_on": "2026-02-01",
        "method": "check",
        "reference": "CHK-1001",
    }
    first = post(api, "/api/v1/loans/L-1/payments", body)
    assert first.status_code == 201, first.content
    assert first.json()["allocation"] == {
        "fees": "0.00",
        "interest": "41.67",
        "principal": "147.04",
    }
    again = post(api, "/api/v1/loans/L-1/payments", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Payment.objects.count() == 1


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_payment_bad_input_is_400_and_posts_nothing(api, book):
    book("L-1")
    response = post(
        api,
        "/api/v1/loans/L-1/payments",
        {
            "amount": "-5",
            "received_on": "2026-13-01",
            "method": "barter",
            "reference": "",
        },
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "amount",
        "received_on",
        "method",
        "reference",
    }
    assert Payment.objects.count() == 0


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_an_overpayment_beyond_the_payoff_is_400(api, book):
    book("L-1", principal="1000.00", term_months=12)
    response = post(
        api,
        "/api/v1/loans/L-1/payments",
        {
            "amount": "5000.00",
            "received_on": "2026-03-01",
            "method": "ach",
            "reference": "ACH-1",
        },
    )
    assert response.status_code == 400
    assert "more than the payoff" in response.json()["errors"]["amount"][0]


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_reversal_is_201_adds_the_fee_and_a_second_reversal_is_409(api, book):
    book("L-1")
    payment = post(
        api,
        "/api/v1/loans/L-1/payments",
        {
            "amount": "188.71",
            "received_on": "2026-02-01",
            "method": "check",
            "reference": "CHK-1",
        },
    ).json()
    response = post(
        api, f"/api/v1/payments/{payment['id']}/reversal", {"reason": "NSF"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "reversed"
    loan = api.get("/api/v1/loans/L-1?as_of=2026-04-20").json()
    assert loan["balance"]["fees"] == "25.00"
    assert loan["balance"]["principal"] == "10000.00"
    assert (
        post(
            api, f"/api/v1/payments/{payment['id']}/reversal", {"reason": "NSF"}
        ).status_code
        == 409
    )


def test_reversal_of_an_unknown_payment_is_404(api):
    assert (
        post(api, "/api/v1/payments/999/reversal", {"reason": "NSF"}).status_code == 404
    )


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_the_loan_as_of_a_date_counts_only_payments_received_by_then(api, book):
    book("L-1")
    for ref, day in [("P1", "2026-02-01"), ("P2", "2026-03-01")]:
        post(
            api,
            "/api/v1/loans/L-1/payments",
            {"amount": "188.71", "received_on": day, "method": "ach", "reference": ref},
        )
    feb = api.get("/api/v1/loans/L-1?as_of=2026-02-15").json()
    assert feb["balance"]["principal"] == "9852.96"
    assert feb["next_due_date"] == "2026-03-01"
    apr = api.get("/api/v1/loans/L-1?as_of=2026-04-20").json()
    assert apr["days_past_due"] == 19
    assert apr["next_due_date"] == "2026-04-01"
    assert apr["balance"]["interest"] != "0.00"


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_the_schedule_lists_installments_with_what_was_paid(api, book):
    book("L-1")
    post(
        api,
        "/api/v1/loans/L-1/payments",
        {
            "amount": "188.71",
            "received_on": "2026-02-01",
            "method": "ach",
            "reference": "P1",
        },
    )
    rows = api.get("/api/v1/loans/L-1/schedule").json()["installments"]
    assert len(rows) == 60
    assert rows[0] == {
        "number": 1,
        "due_date": "2026-02-01",
        "amount": "188.71",
        "principal": "147.04",
        "interest": "41.67",
        "balance_after": "9852.96",
        "paid": {"principal": "147.04", "interest": "41.67", "fees": "0.00"},
        "status": "paid",
    }
    assert rows[1]["status"] == "past_due"
    assert rows[-1]["balance_after"] == "0.00"


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_the_payoff_quote_follows_the_formula(api, book):
    book("L-1")
    quote = api.get("/api/v1/loans/L-1/payoff?as_of=2026-02-11").json()
    # 10,000 principal + Feb 1 interest 41.67 + 10 days accrued on 10,000 at 5 %
    # actual/365 = 13.70
    assert quote == {
        "as_of": "2026-02-11",
        "principal": "10000.00",
        "interest": "55.37",
        "fees": "0.00",
        "total": "10055.37",
    }
