"""PUT /api/v1/accounts/{number}: the billing system creates and updates
accounts; 201 then 200, and the second identical PUT changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from portal.models import Customer, UtilityAccount
from tests.factories.portal import CustomerFactory, UtilityAccountFactory
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


def test_an_update_changes_the_account_with_a_history_reason(cis):
    put(cis, "/api/v1/accounts/100200", account_body())
    body = account_body(
        status="inactive",
        delinquent_balance="1,234.50",
        bad_debt=True,
        services=["gas"],
        customer_class="commercial",
        service_address={
            "line1": "14 Elm St",
            "city": "Riverton",
            "state": "ny",
            "zip": "121801234",
        },
    )
    response = put(cis, "/api/v1/accounts/100200", body)
    assert response.status_code == 200
    out = response.json()
    assert out["status"] == "inactive"
    assert out["delinquent_balance"] == "1234.50"
    assert out["turned_to_bad_debt"] is True
    assert out["services"] == ["gas"]
    assert out["service_address"] == ["14 Elm St", "Riverton, NY 12180-1234"]
    account = UtilityAccount.objects.get(number="100200")
    assert account.delinquent_balance.amount == Decimal("1234.50")
    latest = account.history.first()
    assert latest.history_change_reason == "Account updated from the billing system"
    assert latest.history_user.username == "cis"
    # the normalised state and ZIP: sending the same again is no change
    count = account.history.count()
    assert put(cis, "/api/v1/accounts/100200", body).status_code == 200
    assert account.history.count() == count


def test_a_known_email_links_the_new_account_to_that_customer(cis):
    existing = CustomerFactory(
        first_name="Maria", last_name="Lopez", email="MARIA.LOPEZ@example.org"
    )
    put(cis, "/api/v1/accounts/100200", account_body())
    assert UtilityAccount.objects.get(number="100200").customer == existing
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "kind", "first", "last", "business"),
    [
        ("Lopez, Maria Elena", "person", "Maria Elena", "Lopez", ""),
        ("Maria Elena Lopez", "person", "Maria Elena", "Lopez", ""),
        ("Cher", "person", "", "Cher", ""),
        (
            "Riverton Housing Authority",
            "business",
            "",
            "",
            "Riverton Housing Authority",
        ),
        ("Acme Widgets, LLC", "business", "", "", "Acme Widgets, LLC"),
    ],
)
def test_the_name_rule_for_new_customers(cis, name, kind, first, last, business):
    body = account_body(customer={"name": name, "email": ""})
    assert put(cis, "/api/v1/accounts/100200", body).status_code == 201
    customer = UtilityAccount.objects.get(number="100200").customer
    assert (customer.kind, customer.first_name, customer.last_name) == (
        kind,
        first,
        last,
    )
    assert customer.business_name == business


def test_an_account_entered_by_hand_is_updated_and_keeps_its_customer(cis):
    account = UtilityAccountFactory(
        number="100300",
        customer=CustomerFactory(
            first_name="Maria", last_name="Lopez", email="maria.lopez@example.org"
        ),
        line1="12 Elm St",
        postal_code="12180",
    )
    response = put(cis, "/api/v1/accounts/100300", account_body())
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.customer.display_name == "Maria Lopez"
