"""With PORTAL_STAFF_MFA_REQUIRED (on in production), supervisors, cashiers
and program staff set up an authenticator app before any back-office page or
action; once they have one, the log-in asks for its code."""

import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.urls import reverse

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from loans.services import applications as svc
from tests.factories import LoanApplicationFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/account/2fa/totp/activate/"
ENTER_CODE = "/account/2fa/authenticate/"
NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    cache.clear()
    yield
    cache.clear()


def code_now(secret):
    """The code an authenticator app shows now (allauth's own TOTP helper)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def activate_app(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def in_review(staff_alice):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    svc.application_submit(actor=staff_alice, application=application)
    svc.application_start_review(actor=staff_alice, application=application)
    return application


@pytest.mark.parametrize("persona", ["supervisor_bob", "cashier_casey", "staff_alice"])
def test_a_money_role_without_an_authenticator_app_is_sent_to_set_one_up(
    client, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_a_supervisor_without_an_app_cannot_approve_until_the_app_is_active(
    client, supervisor_bob, in_review
):
    approve = reverse("loan_application_action", args=[in_review.pk, "approve"])
    client.force_login(supervisor_bob)
    response = client.post(approve)
    assert response["Location"] == ACTIVATE
    in_review.refresh_from_db()
    assert in_review.status == "in_review"

    activate_app(supervisor_bob)
    client.post(approve)
    in_review.refresh_from_db()
    assert in_review.status == "approved"


def log_in_and_confirm_password(client, username):
    """Log in, go to the back office, and confirm the password again, which
    allauth asks before an authenticator is added."""
    client.post(
        "/account/login/?next=/admin/",
        {"login": username, "password": "pw-for-tests"},
    )
    assert client.get("/admin/")["Location"] == ACTIVATE
    confirm = "/account/reauthenticate/?next=%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
    assert client.get(ACTIVATE)["Location"] == confirm
    response = client.post(confirm, {"password": "pw-for-tests"})
    assert response["Location"] == ACTIVATE


def test_the_activation_page_says_why(client, supervisor_bob):
    log_in_and_confirm_password(client, "bob")
    page = client.get(ACTIVATE).content.decode()
    assert (
        "Your role approves or moves money, so the back office needs two-factor "
        "authentication: set up an authenticator app to continue."
    ) in page
    assert "<h1>Set up an authenticator app</h1>" in page


def test_setting_up_the_app_through_its_page_opens_the_back_office(
    client, supervisor_bob
):
    with time_machine.travel(NINE_AM, tick=False):
        log_in_and_confirm_password(client, "bob")
        page = client.get(ACTIVATE)
        secret = page.context["form"].secret
        assert secret in page.content.decode()
        response = client.post(ACTIVATE, {"code": code_now(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(
            user=supervisor_bob, type=Authenticator.Type.TOTP
        ).exists()
        assert client.get("/admin/").status_code == 200


def test_with_an_app_the_log_in_asks_for_its_code_and_then_works(
    client, supervisor_bob
):
    secret = activate_app(supervisor_bob)
    with time_machine.travel(NINE_AM, tick=False):
        response = client.post(
            "/account/login/?next=/admin/",
            {"login": "bob", "password": "pw-for-tests"},
        )
        assert response["Location"] == ENTER_CODE
        assert "_auth_user_id" not in client.session
        assert client.get("/admin/").status_code == 302

        response = client.post(ENTER_CODE, {"code": code_now(secret)})
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


def test_a_wrong_code_logs_no_one_in(client, supervisor_bob):
    secret = activate_app(supervisor_bob)
    with time_machine.travel(NINE_AM, tick=False):
        client.post("/account/login/", {"login": "bob", "password": "pw-for-tests"})
        wrong = "000000" if code_now(secret) != "000000" else "111111"
        response = client.post(ENTER_CODE, {"code": wrong})
        assert response.status_code == 200
        assert "Incorrect code." in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_auditors_and_content_editors_are_not_asked_for_an_app(client, auditor_audrey):
    client.force_login(auditor_audrey)
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_off_staff_reach_the_back_office_without_an_app(
    client, settings, supervisor_bob
):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(supervisor_bob)
    assert client.get("/admin/").status_code == 200


def test_a_supervisor_cannot_turn_the_app_off_while_it_is_required(
    settings, supervisor_bob
):
    activate_app(supervisor_bob)
    authenticator = Authenticator.objects.get(user=supervisor_bob)
    assert get_mfa_adapter().can_delete_authenticator(authenticator) is False
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    assert get_mfa_adapter().can_delete_authenticator(authenticator) is True


def test_log_out_stays_open_without_an_app(client, supervisor_bob):
    client.force_login(supervisor_bob)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
