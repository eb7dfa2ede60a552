"""Every bad account feed body is a 400 naming its field, and stores nothing;
no token is 401, no permission is 403."""

from __future__ import annotations

import json

import pytest

from portal.models import Customer, UtilityAccount
from tests.factories.portal_feed import account_body, cis_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/100200"


def put(client, body, url=URL):
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def cis(api_client_for):
    return api_client_for(cis_user())


def address(**changes):
    base = {"line1": "12 Elm St", "city": "Riverton", "state": "NY", "zip": "12180"}
    return {**base, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"delinquent_balance": "-5.00"},
            "delinquent_balance",
            "The amount can't be negative.",
        ),
        (
            {"delinquent_balance": "10.005"},
            "delinquent_balance",
            "Amounts are in dollars and cents: '10.005' has more than two decimal "
            "places.",
        ),
        (
            {"delinquent_balance": 10.5},
            "delinquent_balance",
            'Send amounts as JSON strings such as "12.34".',
        ),
        (
            {"service_address": address(state="New York")},
            "service_address.state",
            "Use the state's two-letter code, such as NY.",
        ),
        (
            {"service_address": address(zip="1218")},
            "service_address.zip",
            "Use a 5-digit ZIP code (12180) or ZIP+4 (12180-1234).",
        ),
        (
            {"services": ["electric", "steam"]},
            "services",
            "Unknown service 'steam'; use electric, gas, water or sewer.",
        ),
        (
            {"customer": {"name": "Maria Lopez", "email": "not-an-email"}},
            "customer.email",
            "Enter a valid email address.",
        ),
        (
            {"customer": {"name": "   ", "email": ""}},
            "customer.name",
            "Enter the customer's name.",
        ),
        (
            {"bad_debt": "no"},
            "bad_debt",
            "Input should be a valid boolean",
        ),
    ],
)
def test_a_bad_field_is_400_with_its_message_and_nothing_stored(
    cis, changes, field, message
):
    response = put(cis, account_body(**changes))
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not UtilityAccount.objects.exists()
    assert not Customer.objects.exists()


def test_an_unknown_status_is_refused_naming_the_choices(cis):
    response = put(cis, account_body(status="final_billed"))
    assert response.status_code == 400
    assert response.json()["errors"]["status"] == [
        "Input should be 'active', 'inactive' or 'closed'"
    ]


def test_an_unknown_key_is_refused(cis):
    response = put(cis, {**account_body(), "balance": "1.00"})
    assert response.status_code == 400
    assert "balance" in response.json()["errors"]
    assert not UtilityAccount.objects.exists()


def test_a_missing_field_is_refused(cis):
    body = account_body()
    del body["status"]
    response = put(cis, body)
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_an_account_number_longer_than_20_characters_is_refused(cis):
    response = put(cis, account_body(), url="/api/v1/accounts/" + "1" * 21)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "number": ["An account number has at most 20 characters."]
    }
    assert not Customer.objects.exists()


def test_an_account_number_with_odd_characters_is_refused(cis):
    response = put(cis, account_body(), url="/api/v1/accounts/12%2534")
    assert response.status_code == 400
    assert "number" in response.json()["errors"]
    assert not UtilityAccount.objects.exists()


def test_without_a_token_it_is_401(client, db):
    response = put(client, account_body())
    assert response.status_code == 401
    assert not UtilityAccount.objects.exists()


def test_staff_without_the_sync_permission_get_403(api_client_for, supervisor_bob):
    response = put(api_client_for(supervisor_bob), account_body())
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Your account does not have permission to sync accounts from the billing "
        "system."
    )
    assert not UtilityAccount.objects.exists()


def test_bills_without_the_sync_permission_get_403(api_client_for, staff_alice):
    response = put(
        api_client_for(staff_alice),
        [{"period": "2026-01", "amount": "1.00"}],
        url=URL + "/bills",
    )
    assert response.status_code == 403


def test_no_staff_role_holds_the_sync_permission(
    staff_alice, supervisor_bob, cashier_casey, auditor_audrey
):
    for user in (staff_alice, supervisor_bob, cashier_casey, auditor_audrey):
        assert not user.has_perm("portal.sync_accounts")
