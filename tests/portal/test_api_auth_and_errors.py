from django.core.management import call_command

import pytest

from portal.api_auth import NOT_PERMITTED
from portal.api_v1 import AUTH_REQUIRED, INVALID_INPUT
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/customers" in response.json()["paths"]


def test_no_token_is_401_with_a_json_message(client):
    response = client.get("/api/v1/customers")
    assert response.status_code == 401
    assert response.json() == {"message": AUTH_REQUIRED}
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_is_401(client):
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_a_revoked_token_is_401(client, staff_alice):
    from wagtail.models import APIToken

    token, plaintext = APIToken.create_token(user=staff_alice, name="t")
    token.revoke()
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 401


def test_a_session_cookie_does_not_authenticate_the_api(client, staff_alice):
    client.force_login(staff_alice)
    assert client.get("/api/v1/customers").status_code == 401


def test_a_token_without_the_permission_is_403(api_client_for, outsider_dave):
    response = api_client_for(outsider_dave).get("/api/v1/customers")
    assert response.status_code == 403
    assert response.json() == {"message": NOT_PERMITTED.format(what="view customers")}


def test_a_token_with_the_permission_is_200(api_client_for, staff_alice):
    UtilityAccountFactory(number="555001")
    response = api_client_for(staff_alice).get("/api/v1/customers")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["accounts"] == ["555001"]


def test_bad_input_is_400_with_a_message_per_field(api_client_for, staff_alice):
    response = api_client_for(staff_alice).post(
        "/api/v1/customers",
        {
            "last_name": "Lee",
            "email": "not-an-email",
            "household_size": 0,
            "household_income": "1000.005",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == INVALID_INPUT
    assert set(body["errors"]) == {"email", "household_size", "household_income"}
    assert body["errors"]["email"] == ["Enter a valid email address."]
    assert "two decimal places" in body["errors"]["household_income"][0]


def test_a_model_rule_violation_is_400_with_the_field(api_client_for, staff_alice):
    response = api_client_for(staff_alice).post(
        "/api/v1/customers", {"kind": "business"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == INVALID_INPUT


def test_an_unknown_account_is_404_json(api_client_for, staff_alice):
    response = api_client_for(staff_alice).get("/api/v1/accounts/000000")
    assert response.status_code == 404
    assert "message" in response.json()


def test_account_amounts_are_strings_with_two_decimals(api_client_for, cashier_casey):
    UtilityAccountFactory(number="555002")
    body = api_client_for(cashier_casey).get("/api/v1/accounts/555002").json()
    assert body["delinquent_balance"] == "0.00"


def test_create_api_token_prints_a_working_token(client, staff_alice, capsys):
    call_command("create_api_token", "alice")
    token = capsys.readouterr().out.strip()
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_create_api_token_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody")
