"""Changing the e-mail address: the new address counts only once its link
has been followed; until then the old one stays the log-in's address."""

import re

from django.core import mail

import pytest
from allauth.account.models import EmailAddress

from tests.customer.linking import new_customer_login

pytestmark = pytest.mark.django_db


def test_a_new_address_counts_only_after_its_link_is_followed(client):
    user = new_customer_login()
    client.force_login(user)
    response = client.post(
        "/account/email/", {"email": "pat.moved@example.org", "action_add": ""}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "newcomer@example.org"
    page = client.get("/account/email/").content.decode()
    assert "pat.moved@example.org" in page
    assert "waiting for confirmation" in page

    assert mail.outbox[-1].to == ["pat.moved@example.org"]
    path = re.search(
        r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", mail.outbox[-1].body
    ).group(1)
    client.post(path)
    user.refresh_from_db()
    assert user.email == "pat.moved@example.org"
    assert list(
        EmailAddress.objects.filter(user=user).values_list(
            "email", "verified", "primary"
        )
    ) == [("pat.moved@example.org", True, True)]


def test_a_customer_can_still_link_with_the_old_address_while_the_change_waits(client):
    user = new_customer_login()
    client.force_login(user)
    client.post("/account/email/", {"email": "pat.moved@example.org", "action_add": ""})
    assert 'name="number"' in client.get("/account/link/").content.decode()


def test_the_email_page_is_labelled(client):
    client.force_login(new_customer_login())
    page = client.get("/account/email/").content.decode()
    assert '<label for="id_email">E-mail address</label>' in page
