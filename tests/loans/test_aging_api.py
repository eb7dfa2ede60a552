"""The API contract of issue 10's aging additions: GET /api/v1/products,
the loan's `bucket`, and POST /api/v1/aging/run (permission "run aging")."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from loans.models import AgingRun

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def two_loans(book):
    with time_machine.travel(TODAY, tick=False):
        book("L-1", first_due_date=date(2026, 2, 1))  # 120 days past due
        book("L-2", first_due_date=date(2026, 6, 1), account_number="100002")


def test_products_lists_every_term_with_two_decimal_amounts(
    api_client_for, staff_alice
):
    response = api_client_for(staff_alice).get("/api/v1/products")
    assert response.status_code == 200
    products = {p["code"]: p for p in response.json()}
    assert sorted(products) == ["EE", "EE-SOLAR", "WS", "ZI"]
    ee = products["EE"]
    assert list(ee) == [
        "code",
        "name",
        "annual_rate",
        "min_amount",
        "max_amount",
        "max_term_months",
        "origination_fee",
        "late_fee",
        "late_fee_grace_days",
        "returned_payment_fee",
        "default_dpd",
        "state_guaranteed",
    ]
    assert (ee["annual_rate"], ee["late_fee"], ee["late_fee_grace_days"]) == (
        "5.00",
        "15.00",
        15,
    )
    assert ee["default_dpd"] == 120
    assert products["ZI"]["state_guaranteed"] is True
    assert products["ZI"]["late_fee"] == "0.00"


def test_products_need_a_token(client):
    assert client.get("/api/v1/products").status_code == 401


@time_machine.travel(TODAY, tick=False)
def test_aging_run_answers_the_contract_and_again_the_same_counts_with_no_fees(
    api_client_for, supervisor_bob, two_loans
):
    api = api_client_for(supervisor_bob)
    first = api.post(
        "/api/v1/aging/run", {"as_of": "2026-06-01"}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json() == {
        "as_of": "2026-06-01",
        "loans": 2,
        "buckets": {
            "current": 1,
            "1-30": 0,
            "31-60": 0,
            "61-90": 0,
            "91-120": 1,
            "121+": 0,
        },
        "late_fees_assessed": {"count": 4, "amount": "60.00"},
        "defaulted": 1,
        "matured": 0,
    }
    again = api.post(
        "/api/v1/aging/run", {"as_of": "2026-06-01"}, content_type="application/json"
    )
    assert again.status_code == 200
    # The same date again: the same counts (loans in default and matured are
    # where the loans stand on the date), and no fee charged twice.
    assert again.json() == {
        **first.json(),
        "late_fees_assessed": {"count": 0, "amount": "0.00"},
    }


@time_machine.travel(TODAY, tick=False)
def test_aging_run_needs_the_run_aging_permission(
    api_client_for, staff_alice, two_loans
):
    response = api_client_for(staff_alice).post(
        "/api/v1/aging/run", {"as_of": "2026-06-01"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "message" in response.json()
    assert not AgingRun.objects.exists()


def test_aging_run_needs_a_token(client):
    response = client.post(
        "/api/v1/aging/run", {"as_of": "2026-06-01"}, content_type="application/json"
    )
    assert response.status_code == 401


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "body",
    [
        {"as_of": "2026-06-02"},  # tomorrow
        {"as_of": "2026-13-01"},
        {"as_of": "June 1"},
        {"as_of": 20260601},
        {},
        {"as_of": "2026-06-01", "dry_run": True},
    ],
)
def test_aging_run_refuses_a_bad_or_future_date_and_changes_nothing(
    api_client_for, supervisor_bob, two_loans, body
):
    response = api_client_for(supervisor_bob).post(
        "/api/v1/aging/run", body, content_type="application/json"
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["message"]
    assert answer["errors"]
    assert not AgingRun.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_future_date_is_refused_with_a_message_on_the_field(
    api_client_for, supervisor_bob
):
    response = api_client_for(supervisor_bob).post(
        "/api/v1/aging/run", {"as_of": "2026-06-02"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["as_of"] == [
        "Aging runs for today or an earlier day, not for June 2, 2026."
    ]


@time_machine.travel(TODAY, tick=False)
def test_the_loan_shows_its_new_status_and_bucket(
    api_client_for, supervisor_bob, two_loans
):
    api = api_client_for(supervisor_bob)
    api.post(
        "/api/v1/aging/run", {"as_of": "2026-06-01"}, content_type="application/json"
    )
    body = api.get("/api/v1/loans/L-1").json()
    assert (body["status"], body["bucket"], body["days_past_due"]) == (
        "defaulted",
        "91-120",
        120,
    )
    assert api.get("/api/v1/loans/L-2").json()["bucket"] == "current"
