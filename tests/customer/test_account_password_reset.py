"""Password reset by e-mail: the link in the e-mail sets a new password that
then logs in; the old one no longer does."""

import re

from django.core import mail

import pytest

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Copper-kettle-1987"


def test_a_reset_email_is_sent_and_its_link_sets_a_new_password(client, customer_carol):
    response = client.post("/account/password/reset/", {"email": "carol@example.org"})
    assert response["Location"] == "/account/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carol@example.org"]
    path = re.search(
        r"https?://[^/\s]+(/account/password/reset/key/[^\s]+/)", mail.outbox[0].body
    ).group(1)
    # allauth moves the key out of the URL into the session, then shows the form.
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/account/password/reset/key/done/"
    client.logout()
    old = client.post("/account/login/", {"login": "carol", "password": "pw-for-tests"})
    assert old.status_code == 200
    new = client.post("/account/login/", {"login": "carol", "password": NEW_PASSWORD})
    assert new.status_code == 302


def test_an_unknown_address_gets_the_same_page_and_no_reset_link(client):
    response = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/account/password/reset/done/"
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_a_used_or_wrong_link_says_so(client):
    page = client.get("/account/password/reset/key/1-wrong-key/", follow=True)
    assert "The password reset link is invalid or has already been used." in (
        page.content.decode()
    )


def test_reset_requests_for_one_address_are_rate_limited(client, customer_carol):
    for _ in range(3):
        client.post("/account/password/reset/", {"email": "carol@example.org"})
    response = client.post("/account/password/reset/", {"email": "carol@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == 3
