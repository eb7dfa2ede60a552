"""Sign-up exists for the public site but stays closed until
PORTAL_SIGNUP_OPEN is set."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_is_closed_by_default(client):
    response = client.post(
        "/account/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a long enough passphrase 7",
            "password2": "a long enough passphrase 7",
        },
    )
    assert "Sign Up Closed" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="newcomer").exists()


def test_sign_up_opens_with_portal_signup_open(client, settings):
    settings.PORTAL_SIGNUP_OPEN = True
    response = client.get("/account/signup/")
    assert response.status_code == 200
    assert "Sign Up Closed" not in response.content.decode()
    assert 'name="password2"' in response.content.decode()
