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


def test_a_changed_email_for_the_same_name_updates_the_customer(cis):
    customer = UtilityAccount.objects.get(number="100200").customer
    body = account_body(customer={"name": "Maria Lopez", "email": "ml@example.org"})
    response = put(cis, body)
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.email == "ml@example.org"
    assert customer.history.first().history_change_reason == (
        "Customer e-mail updated from the billing system"
    )
    assert Customer.objects.count() == 1
    count = customer.history.count()
    assert put(cis, body).status_code == 200
    assert customer.history.count() == count


def test_a_blank_email_keeps_the_one_on_file(cis):
    body = account_body(customer={"name": "Maria Lopez", "email": ""})
    assert put(cis, body).status_code == 200
    customer = UtilityAccount.objects.get(number="100200").customer
    assert customer.email == "maria.lopez@example.org"


def test_the_same_name_with_another_customers_email_needs_a_transfer(cis):
    Customer.objects.create(
        first_name="Maria", last_name="Lopez", email="m2@example.org"
    )
    body = account_body(customer={"name": "Maria Lopez", "email": "m2@example.org"})
    response = put(cis, body)
    assert response.status_code == 409
    assert UtilityAccount.objects.get(number="100200").customer.email == (
        "maria.lopez@example.org"
    )


def test_an_account_carrying_loans_is_not_transferred(cis):
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth.models import Permission

    from loans.services.booking import loan_book
    from tests.factories.portal import UserFactory

    cashiering = UserFactory(username="cashiering")
    cashiering.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="loans", codename__in=["view_loan", "book_loan"]
        )
    )
    loan_book(
        actor=cashiering,
        number="L-1",
        product_code="EE",
        customer_name="Maria Lopez",
        customer_email="maria.lopez@example.org",
        account_number="100200",
        principal=Decimal("10000.00"),
        annual_rate=Decimal("5.00"),
        term_months=60,
        first_due_date=date(2026, 2, 1),
        disbursed_on=date(2026, 1, 1),
    )
    response = put(cis, account_body(customer=NEW_OWNER, transfer=True))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "customer": [
            "Account 100200 carries loans with Maria Lopez; it can't be moved to "
            "another customer."
        ]
    }
    assert UtilityAccount.objects.get(number="100200").customer.display_name == (
        "Maria Lopez"
    )
    assert Customer.objects.count() == 1
