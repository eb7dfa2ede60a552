"""Sign-up is open on the public site unless PORTAL_SIGNUP_OPEN is turned
off (then the page says so and nobody is created)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_is_closed_when_portal_signup_open_is_off(client, settings):
    settings.PORTAL_SIGNUP_OPEN = False
    response = client.post(
        "/account/signup/",
        {
            "email": "new@example.org",
            "password1": "a long enough passphrase 7",
            "password2": "a long enough passphrase 7",
        },
    )
    assert "Sign-up is closed" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(email="new@example.org").exists()


def test_sign_up_is_open_by_default(client):
    response = client.get("/account/signup/")
    assert response.status_code == 200
    assert "Sign-up is closed" not in response.content.decode()
    assert 'name="password2"' in response.content.decode()
