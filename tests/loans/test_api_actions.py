"""GET/POST /api/v1/loans/{number}/actions, status code by status code.
`by` is the recorder's full name (the username when no name is known), as
the API names people and customers elsewhere."""

from datetime import date

import pytest
import time_machine

from loans.models import CollectionAction
from tests.factories import UserFactory
from tests.loans.collections_setup import record

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
URL = "/api/v1/loans/L-1/actions"
CALL = {
    "type": "call",
    "date": "2026-03-19",
    "channel": "phone",
    "outcome": "Left a message",
    "note": "Second try",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def loan(book):
    return book("L-1")


def post(client, body, url=URL):
    return client.post(url, body, content_type="application/json")


def test_get_lists_the_actions_newest_first_in_the_contract_shape(
    api_client_for, staff_alice, loan
):
    staff_alice.last_name = "Ames"
    staff_alice.save()
    first = record(staff_alice, loan, "letter", date(2026, 2, 12), outcome="Sent")
    second = record(staff_alice, loan, "call", date(2026, 3, 5), channel="phone")
    response = api_client_for(staff_alice).get(URL)
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": second.pk,
            "type": "call",
            "date": "2026-03-05",
            "channel": "phone",
            "outcome": "",
            "note": "",
            "by": "Alice Ames",
        },
        {
            "id": first.pk,
            "type": "letter",
            "date": "2026-02-12",
            "channel": "mail",
            "outcome": "Sent",
            "note": "",
            "by": "Alice Ames",
        },
    ]


def test_by_is_the_username_when_no_name_is_known(api_client_for, loan):
    robot = UserFactory(username="cis-feed", first_name="", last_name="")
    from django.contrib.auth.models import Permission

    robot.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["record_collection_action", "view_collectionaction"]
        )
    )
    response = post(api_client_for(robot), CALL)
    assert response.status_code == 201
    assert response.json()["by"] == "cis-feed"


def test_post_records_the_action_and_answers_201(api_client_for, staff_alice, loan):
    response = post(api_client_for(staff_alice), CALL)
    assert response.status_code == 201, response.content
    action = CollectionAction.objects.get()
    assert response.json() == {
        "id": action.pk,
        "type": "call",
        "date": "2026-03-19",
        "channel": "phone",
        "outcome": "Left a message",
        "note": "Second try",
        "by": "Alice",
    }


def test_a_promise_to_pay_takes_its_amount_as_a_string(
    api_client_for, staff_alice, loan
):
    client = api_client_for(staff_alice)
    body = {
        **CALL,
        "type": "promise_to_pay",
        "promise_amount": "250.50",
        "promise_date": "2026-04-01",
    }
    assert post(client, body).status_code == 201
    action = CollectionAction.objects.get()
    assert (str(action.promise_amount), action.promise_date) == (
        "250.50",
        date(2026, 4, 1),
    )
    assert action.promise_status == "open"
    # A number, not a string, is refused.
    response = post(client, {**body, "promise_amount": 250.5})
    assert response.status_code == 400
    assert "promise_amount" in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "sms"}, "type"),
        ({"channel": "fax"}, "channel"),
        ({"date": "2026-03-21"}, "date"),  # tomorrow
        ({"date": "not a date"}, "date"),
        ({"promise_amount": "10.005", "type": "promise_to_pay"}, "promise_amount"),
        ({"type": "promise_to_pay"}, "promise_amount"),  # no amount nor date
        ({"promise_amount": "10.00", "promise_date": "2026-04-01"}, "promise_amount"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_400_on_its_field_and_records_nothing(
    api_client_for, staff_alice, loan, change, field
):
    response = post(api_client_for(staff_alice), {**CALL, **change})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["message"]
    assert field in body["errors"], body
    assert not CollectionAction.objects.exists()


def test_without_a_token_both_are_401(client, loan):
    assert client.get(URL).status_code == 401
    assert post(client, CALL).status_code == 401


def test_without_the_permission_both_are_403(api_client_for, outsider_dave, loan):
    client = api_client_for(outsider_dave)
    assert client.get(URL).status_code == 403
    response = post(client, CALL)
    assert response.status_code == 403
    assert "record collection actions" in response.json()["message"]


def test_a_cashier_may_read_but_not_record(api_client_for, cashier_casey, loan):
    client = api_client_for(cashier_casey)
    assert client.get(URL).status_code == 200
    assert post(client, CALL).status_code == 403


def test_an_unknown_loan_is_404(api_client_for, staff_alice, loan):
    client = api_client_for(staff_alice)
    assert client.get("/api/v1/loans/NOPE/actions").status_code == 404
    assert post(client, CALL, url="/api/v1/loans/NOPE/actions").status_code == 404
