"""My account: for a linked customer their accounts and the ways on; for a
log-in without a customer the way to link one; for staff the back office.
Never cached."""

import pytest

from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_my_account_is_never_cached(client, customer_carol):
    client.force_login(customer_carol)
    assert "no-store" in client.get("/account/")["Cache-Control"]


def test_a_customer_sees_the_settings_and_a_way_to_link_another_account(
    client, customer_carol
):
    UtilityAccountFactory(number="400123", customer=customer_carol.customer)
    client.force_login(customer_carol)
    page = client.get("/account/").content.decode()
    assert "<caption>Your utility accounts</caption>" in page
    assert '<a href="/account/link/">Link another account</a>' in page
    assert '<a href="/account/email/">E-mail address</a>' in page
    assert '<a href="/account/password/change/">Change your password</a>' in page
    assert '<a href="/account/2fa/">Two-factor authentication</a>' in page


def test_staff_are_pointed_to_the_back_office_not_to_linking(client, staff_alice):
    client.force_login(staff_alice)
    page = client.get("/account/").content.decode()
    assert "This is a staff log-in" in page
    assert 'href="/account/link/"' not in page


def test_my_account_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/account/")
    assert response["Location"] == "/account/login/?next=/account/"
