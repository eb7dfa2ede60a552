"""Two-factor authentication is optional for customers: they may set up an
authenticator app from their account page, and then the log-in asks for it."""

import time
from datetime import UTC, datetime

from django.core.cache import cache

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def mfa_required_for_staff(settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    cache.clear()
    yield
    cache.clear()


def test_customers_are_not_required_to_set_up_an_app(client, customer_carol):
    client.force_login(customer_carol)
    page = client.get("/account/")
    assert page.status_code == 200
    assert '<a href="/account/2fa/">Two-factor authentication</a>' in (
        page.content.decode()
    )


def test_a_customer_can_set_up_an_app_and_is_then_asked_for_its_code(
    client, customer_carol
):
    with time_machine.travel(NINE_AM, tick=False):
        client.post("/account/login/", {"login": "carol", "password": "pw-for-tests"})
        # allauth asks for the password again before adding an authenticator.
        client.post(
            "/account/reauthenticate/?next=/account/2fa/totp/activate/",
            {"password": "pw-for-tests"},
        )
        page = client.get("/account/2fa/totp/activate/")
        secret = page.context["form"].secret
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        assert (
            client.post("/account/2fa/totp/activate/", {"code": code}).status_code
            == 302
        )
        client.post("/account/logout/")

        response = client.post(
            "/account/login/", {"login": "carol", "password": "pw-for-tests"}
        )
        assert response["Location"] == "/account/2fa/authenticate/"


def test_a_customer_with_an_app_logs_in_with_its_code(client, customer_carol):
    secret = generate_totp_secret()
    TOTP.activate(customer_carol, secret)
    with time_machine.travel(NINE_AM, tick=False):
        client.post("/account/login/", {"login": "carol", "password": "pw-for-tests"})
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        response = client.post("/account/2fa/authenticate/", {"code": code})
        assert response["Location"] == "/account/"
        assert client.get("/account/").status_code == 200
