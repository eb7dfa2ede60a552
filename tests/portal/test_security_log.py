"""Every log-in, failed log-in, lockout, log-out, change of two-factor
authentication and API token failure writes one line to the
`portal.security` log: what, who, from which address."""

import time
from datetime import UTC, datetime

from django.core.cache import cache

from wagtail.models import APIToken

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def security_lines(caplog):
    """The lines written to `portal.security` during the test."""
    caplog.set_level("INFO", logger="portal.security")

    def lines():
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "portal.security"
        ]

    return lines


def log_in(client, login, password):
    return client.post("/account/login/", {"login": login, "password": password})


def test_a_log_in_is_logged_with_who_and_from_where(
    client, customer_carol, security_lines
):
    log_in(client, "carol", "pw-for-tests")
    assert security_lines() == ["login user=carol ip=127.0.0.1"]


def test_a_failed_log_in_is_logged_with_the_name_typed_and_never_the_password(
    client, customer_carol, security_lines
):
    log_in(client, "carol", "hunter2-typo")
    assert security_lines() == ["login_failed user=carol ip=127.0.0.1"]


def test_a_lockout_is_logged(client, customer_carol, security_lines):
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(6):
            log_in(client, "carol", "wrong")
    assert security_lines() == ["login_failed user=carol ip=127.0.0.1"] * 5 + [
        "login_locked_out user=carol ip=127.0.0.1"
    ]


def test_a_log_out_is_logged(client, customer_carol, security_lines):
    log_in(client, "carol", "pw-for-tests")
    client.post("/account/logout/")
    assert security_lines()[-1] == "logout user=carol ip=127.0.0.1"


def test_activating_and_deactivating_two_factor_authentication_is_logged(
    client, customer_carol, security_lines, django_capture_on_commit_callbacks
):
    activate = "/account/2fa/totp/activate/"
    with time_machine.travel(NINE_AM, tick=False):
        log_in(client, "carol", "pw-for-tests")
        client.post(
            f"/account/reauthenticate/?next={activate}", {"password": "pw-for-tests"}
        )
        secret = client.get(activate).context["form"].secret
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        # allauth announces a new authenticator once its transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            client.post(activate, {"code": code})
        client.post("/account/2fa/totp/deactivate/")
    assert security_lines()[1:] == [
        "mfa_activated user=carol ip=127.0.0.1 type=totp",
        "mfa_activated user=carol ip=127.0.0.1 type=recovery_codes",
        "mfa_deactivated user=carol ip=127.0.0.1 type=totp",
        "mfa_deactivated user=carol ip=127.0.0.1 type=recovery_codes",
    ]


def test_a_wrong_api_token_is_logged_without_the_token(client, security_lines):
    client.get("/api/v1/customers", HTTP_AUTHORIZATION="Bearer guess-123")
    assert security_lines() == [
        "api_token_failed user=- ip=127.0.0.1 path=/api/v1/customers"
    ]


def test_a_throttled_api_token_is_logged(client, staff_alice, security_lines):
    _, plaintext = APIToken.create_token(user=staff_alice, name="service")
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(10):
            client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer guess-{n}")
        client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert security_lines()[-1] == (
        "api_token_throttled user=- ip=127.0.0.1 path=/api/v1/customers"
    )


def test_a_typed_name_cannot_start_a_second_line(client, db, security_lines):
    log_in(client, "mallory\nlogin user=admin", "x")
    assert security_lines() == [
        "login_failed user=mallory?login?user=admin ip=127.0.0.1"
    ]


def test_the_security_log_is_configured_to_the_console(settings):
    logger = settings.LOGGING["loggers"]["portal.security"]
    assert logger["level"] == "INFO"
    assert settings.LOGGING["handlers"][logger["handlers"][0]]["class"] == (
        "logging.StreamHandler"
    )
