"""A list row's addresses (its page, edit, delete and audit history) are
worked out once a page and filled in with each row's key
(portal.viewsets.AuditedIndexView.row_url): every one is the address
reverse() gives for that row."""

import re

from django.urls import reverse

import pytest

from portal.models import Customer
from portal.viewsets import AuditedIndexView
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_row_address_is_reverses_for_every_key():
    view = AuditedIndexView()
    customers = [CustomerFactory() for _ in range(3)]
    for customer in customers:
        assert view.row_url("customers:inspect", customer) == reverse(
            "customers:inspect", args=[customer.pk]
        )
        assert view.row_url("audit_history", customer, "portal", "customer") == reverse(
            "audit_history", args=["portal", "customer", customer.pk]
        )


def test_a_key_that_is_not_a_whole_number_is_reversed_as_usual():
    class Row:
        pk = "12"

    view = AuditedIndexView()
    assert view.row_url("customers:inspect", Row()) == reverse(
        "customers:inspect", args=["12"]
    )
    assert "_row_url_stencils" not in view.__dict__


def test_every_row_of_the_customer_list_links_its_own_pages(client, supervisor_bob):
    customers = [CustomerFactory(last_name=f"Rowland{i}") for i in range(4)]
    client.force_login(supervisor_bob)
    html = client.get(reverse("customers:index") + "?q=Rowland").content.decode()
    for customer in customers:
        for url in [
            reverse("customers:inspect", args=[customer.pk]),
            reverse("customers:edit", args=[customer.pk]),
            reverse("audit_history", args=["portal", "customer", customer.pk]),
        ]:
            assert f'href="{url}"' in html, url
    # No address with the stand-in key left behind.
    assert not re.search(r"8675309008675309", html)
    assert Customer.objects.count() == 4
