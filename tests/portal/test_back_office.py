from django.urls import reverse

import pytest

from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_staff_can_browse_and_search_customers(client, staff_alice):
    CustomerFactory(last_name="Delgado")
    CustomerFactory(last_name="Liu")
    client.force_login(staff_alice)
    response = client.get(reverse("customers:index"), {"q": "Delgado"})
    assert response.status_code == 200
    assert "Delgado" in response.content.decode()
    assert "Liu" not in response.content.decode()


def test_accounts_are_filterable_by_class(client, staff_alice):
    UtilityAccountFactory(number="300001", customer_class="commercial")
    UtilityAccountFactory(number="300002", customer_class="residential")
    client.force_login(staff_alice)
    response = client.get(reverse("accounts:index"), {"customer_class": "commercial"})
    assert "300001" in response.content.decode()
    assert "300002" not in response.content.decode()


def test_no_one_can_delete_a_customer_from_the_admin(client, admin_user):
    customer = CustomerFactory()
    client.force_login(admin_user)
    response = client.post(reverse("customers:delete", args=[customer.pk]))
    assert response.status_code in (302, 403)
    assert type(customer).objects.filter(pk=customer.pk).exists()


def test_there_is_no_copy_view_for_financial_records(client, staff_alice):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("customers:copy", args=[1])


def test_the_audit_history_view_lists_who_changed_what(client, staff_alice):
    from portal.services import customer_update

    customer = CustomerFactory(phone="555-0100")
    customer_update(
        actor=staff_alice, customer=customer, reason="Phone corrected", phone="555-0199"
    )
    client.force_login(staff_alice)
    response = client.get(
        reverse("audit_history", args=["portal", "customer", customer.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Phone corrected" in body and "555-0199" in body and "alice" in body


def test_the_auditor_can_read_history_but_not_edit(client, auditor_audrey):
    customer = CustomerFactory()
    client.force_login(auditor_audrey)
    assert (
        client.get(
            reverse("audit_history", args=["portal", "customer", customer.pk])
        ).status_code
        == 200
    )
    assert client.get(reverse("customers:index")).status_code == 200
    response = client.get(reverse("customers:edit", args=[customer.pk]))
    assert response.status_code in (302, 403)


def test_a_customer_cannot_reach_the_back_office(client, customer_carol):
    client.force_login(customer_carol)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/admin/"


def test_a_customer_cannot_read_history(client, customer_carol):
    customer = CustomerFactory()
    client.force_login(customer_carol)
    response = client.get(
        reverse("audit_history", args=["portal", "customer", customer.pk])
    )
    assert response.status_code in (302, 403)


def test_the_django_admin_is_not_exposed(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 404
