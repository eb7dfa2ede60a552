"""PUT /api/v1/accounts/{number}: the billing system creates and updates
accounts; 201 then 200, and the second identical PUT changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from portal.models import Customer, UtilityAccount
from tests.factories.portal_feed import account_body, cis_user

pytestmark = pytest.mark.django_db


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def cis(api_client_for):
    return api_client_for(cis_user())


def test_a_new_account_is_created_with_201_and_shown_like_get(cis):
    response = put(cis, "/api/v1/accounts/100200", account_body())
    assert response.status_code == 201
    assert response.json() == {
        "number": "100200",
        "customer": "Maria Lopez",
        "customer_class": "residential",
        "services": ["electric", "water"],
        "status": "active",
        "service_address": ["12 Elm St", "Riverton, NY 12180"],
        "delinquent_balance": "0.00",
        "turned_to_bad_debt": False,
    }
    assert cis.get("/api/v1/accounts/100200").json() == response.json()
    account = UtilityAccount.objects.get(number="100200")
    assert account.customer.first_name == "Maria"
    assert account.customer.last_name == "Lopez"
    assert account.customer.email == "maria.lopez@example.org"


def test_the_same_put_twice_is_200_and_writes_no_history(cis):
    put(cis, "/api/v1/accounts/100200", account_body())
    account = UtilityAccount.objects.get(number="100200")
    before = (account.history.count(), account.customer.history.count())
    response = put(cis, "/api/v1/accounts/100200", account_body())
    assert response.status_code == 200
    account.refresh_from_db()
    assert (account.history.count(), account.customer.history.count()) == before
    assert Customer.objects.count() == 1
