"""An account linked to another customer moves only with "transfer": true;
otherwise 409 with the JSON error shape, and nothing changes."""

from __future__ import annotations

import json

import pytest

from portal.models import Customer, UtilityAccount
from tests.factories.portal_feed import account_body, cis_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/100200"
NEW_OWNER = {"name": "Sam Ortiz", "email": "sam.ortiz@example.org"}


def put(client, body):
    return client.put(URL, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def cis(api_client_for):
    client = api_client_for(cis_user())
    assert put(client, account_body()).status_code == 201
    return client


def test_another_customer_without_transfer_is_409_and_changes_nothing(cis):
    account = UtilityAccount.objects.get(number="100200")
    history = account.history.count()
    response = put(cis, account_body(customer=NEW_OWNER, status="closed"))
    assert response.status_code == 409
    body = response.json()
    assert body["message"] == "The account belongs to another customer."
    assert body["errors"] == {
        "customer": [
            'Account 100200 belongs to Maria Lopez; send "transfer": true to move '
            "it to Sam Ortiz."
        ]
    }
    account.refresh_from_db()
    assert account.customer.display_name == "Maria Lopez"
    assert account.status == "active"
    assert account.history.count() == history
    assert Customer.objects.count() == 1


def test_transfer_true_relinks_and_records_why(cis):
    response = put(cis, account_body(customer=NEW_OWNER, transfer=True))
    assert response.status_code == 200
    assert response.json()["customer"] == "Sam Ortiz"
    account = UtilityAccount.objects.get(number="100200")
    assert account.customer.email == "sam.ortiz@example.org"
    latest = account.history.first()
    assert latest.history_change_reason == (
        "Account transferred from Maria Lopez to Sam Ortiz by the billing system"
    )
    assert latest.history_user.username == "cis"
    assert Customer.objects.count() == 2
    # sending the transfer again is idempotent
    count = account.history.count()
    assert put(cis, account_body(customer=NEW_OWNER, transfer=True)).status_code == 200
    assert account.history.count() == count
    assert Customer.objects.count() == 2


def test_transfer_to_a_known_email_reuses_that_customer(cis):
    other = Customer.objects.create(
        first_name="Samuel", last_name="Ortiz", email="sam.ortiz@example.org"
    )
    put(cis, account_body(customer=NEW_OWNER, transfer=True))
    assert UtilityAccount.objects.get(number="100200").customer == other
    assert Customer.objects.count() == 2
