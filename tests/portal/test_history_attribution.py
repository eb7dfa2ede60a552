"""Every change made through the site, the API or a management command writes a
history row carrying the acting user and a change reason."""

from django.core.management import call_command
from django.urls import reverse

import pytest

from portal.audit import SYSTEM_USERNAME, audit_context, bulk_create_audited
from portal.models import Customer, UtilityAccount
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_back_office_edit_records_the_staff_user_and_a_reason(client, staff_alice):
    customer = CustomerFactory(last_name="Okafor")
    client.force_login(staff_alice)
    url = reverse("customers:edit", args=[customer.pk])
    response = client.post(
        url,
        {
            "kind": "person",
            "first_name": "Walter",
            "last_name": "Okafor",
            "email": "w@example.org",
            "household_income_0": "",
            "household_income_1": "USD",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    latest = customer.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == staff_alice
    assert latest.history_change_reason == "Customer details changed in the back office"


def test_an_api_change_records_the_token_user_and_a_reason(api_client_for, staff_alice):
    client = api_client_for(staff_alice)
    response = client.post(
        "/api/v1/customers",
        {"first_name": "Ada", "last_name": "Lovelace"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    customer = Customer.objects.get(pk=response.json()["id"])
    record = customer.history.get()
    assert record.history_user == staff_alice
    assert record.history_change_reason == "Customer created via API"


def test_a_management_command_records_the_system_user_and_the_command(db):
    call_command(
        "load_demo_data", "--allow-without-debug", stdout=open("/dev/null", "w")
    )
    record = UtilityAccount.objects.get(number="100001").history.earliest()
    assert record.history_user.username == SYSTEM_USERNAME
    assert record.history_change_reason == "manage.py load_demo_data"


def test_a_command_can_name_the_person_who_ran_it(staff_alice):
    call_command(
        "load_demo_data",
        "--allow-without-debug",
        "--acting-user",
        "alice",
        stdout=open("/dev/null", "w"),
    )
    record = Customer.objects.get(last_name="Okafor").history.earliest()
    assert record.history_user == staff_alice


def test_bulk_creation_writes_history_with_user_and_reason(staff_alice):
    with audit_context(user=staff_alice, reason="Imported from CIS"):
        bulk_create_audited(
            Customer, [Customer(last_name=f"Bulk{i}") for i in range(3)]
        )
    records = Customer.history.filter(last_name__startswith="Bulk")
    assert records.count() == 3
    assert {r.history_user_id for r in records} == {staff_alice.pk}
    assert {r.history_change_reason for r in records} == {"Imported from CIS"}


def test_a_service_reason_replaces_the_request_default(staff_alice):
    from portal.services import customer_update

    customer = CustomerFactory()
    customer_update(
        actor=staff_alice,
        customer=customer,
        reason="Income verified",
        income_verified=True,
    )
    latest = customer.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        staff_alice,
        "Income verified",
    )
