"""GET /api/v1/liens: the contract's exact fields and strings, 404, 403."""

from datetime import date

import pytest
import time_machine

from tests.factories.liens_liens import lien_to_record, recorded_lien

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def test_the_liens_of_a_loan_with_exact_fields(staff_alice, api_client_for):
    lien = recorded_lien(staff_alice, number="L-1", parcel_id="12-345-678")
    lien_to_record(
        staff_alice, number="L-2", principal="7500.50", account_number="100002"
    )
    response = api_client_for(staff_alice).get("/api/v1/liens?loan=L-1")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": lien.pk,
            "loan": "L-1",
            "property": "12-345-678",
            "amount": "10000.00",
            "position": 1,
            "status": "recorded",
            "recorded_on": "2026-01-15",
            "instrument_number": "2026-004512",
        }
    ]


def test_without_a_loan_every_lien_is_listed(staff_alice, api_client_for):
    recorded_lien(staff_alice, number="L-1")
    lien_to_record(
        staff_alice, number="L-2", principal="7500.50", account_number="100002"
    )
    body = api_client_for(staff_alice).get("/api/v1/liens").json()
    assert [(x["loan"], x["amount"], x["status"], x["recorded_on"]) for x in body] == [
        ("L-1", "10000.00", "recorded", "2026-01-15"),
        ("L-2", "7500.50", "to_record", None),
    ]


def test_an_unknown_loan_is_404_json(staff_alice, api_client_for):
    response = api_client_for(staff_alice).get("/api/v1/liens?loan=NOPE")
    assert response.status_code == 404
    assert response.json()["message"] == "No loan numbered 'NOPE'."


def test_a_loan_without_liens_is_an_empty_list(staff_alice, api_client_for):
    from tests.factories.liens_liens import loan_on_property

    loan_on_property(number="L-9")
    response = api_client_for(staff_alice).get("/api/v1/liens?loan=L-9")
    assert (response.status_code, response.json()) == (200, [])


def test_without_the_view_permission_it_is_403(outsider_dave, api_client_for):
    response = api_client_for(outsider_dave).get("/api/v1/liens")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Your account does not have permission to view liens."
    )


def test_without_a_token_it_is_401(client):
    assert client.get("/api/v1/liens").status_code == 401
