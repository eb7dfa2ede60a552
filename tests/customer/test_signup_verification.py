"""A new customer signs up with an e-mail address and a password, is sent a
link to confirm the address, and can link a utility account only once the
link has been followed."""

import re
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core import mail

import pytest
import time_machine
from allauth.account.models import EmailAddress

from portal.models import Customer
from tests.customer.linking import post_link
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Lantern-orchard-42"
NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sign_up(client, email="pat.new@example.org"):
    return client.post(
        "/account/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", message.body)


def test_sign_up_sends_one_verification_email_and_says_so(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat.new@example.org"]
    assert mail.outbox[0].subject.startswith("Riverton Municipal Utilities: ")
    assert confirmation_link(mail.outbox[0])
    assert "To confirm that it is yours, open this link" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "We have sent you an e-mail with a link." in page


def test_the_new_log_in_has_a_generated_username_and_an_unconfirmed_address(client):
    sign_up(client)
    user = get_user_model().objects.get(email="pat.new@example.org")
    assert user.username
    assert EmailAddress.objects.get(user=user).verified is False


def test_following_the_link_confirms_the_address_and_leads_on_to_linking(client):
    sign_up(client)
    path = confirmation_link(mail.outbox[0]).group(1)
    page = client.get(path).content.decode()
    assert (
        "Confirm that <strong>pat.new@example.org</strong> is your e-mail address."
        in page
    )
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/account/link/"
    assert EmailAddress.objects.get(email="pat.new@example.org").verified is True
    assert 'name="number"' in client.get("/account/link/").content.decode()


def test_an_unconfirmed_sign_up_is_told_to_confirm_and_cannot_link(client):
    account = UtilityAccountFactory(
        number="400123", customer=CustomerFactory(last_name="Jensen")
    )
    sign_up(client)
    page = client.get("/account/link/").content.decode()
    assert "Confirm your e-mail address first" in page
    assert "pat.new@example.org" in page
    assert 'name="number"' not in page
    post_link(client, "400123", "12180", "Jensen")
    assert Customer.objects.get(pk=account.customer_id).user is None


def test_my_account_sends_a_new_customer_to_link_an_account(client):
    sign_up(client)
    page = client.get("/account/").content.decode()
    assert "Your log-in is not linked to a utility account yet." in page
    assert 'href="/account/link/"' in page


def test_an_address_already_in_use_is_refused_on_its_field(client, customer_carol):
    # allauth hides an address in use only when verification is mandatory;
    # here (optional, for the staff log-ins) it says so on the field.
    response = sign_up(client, email="CAROL@example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A user is already registered with this email address."
    ]
    assert (
        get_user_model().objects.filter(email__iexact="carol@example.org").count() == 1
    )


def test_a_mismatched_password_is_refused_on_its_field(client):
    response = client.post(
        "/account/signup/",
        {"email": "pat.new@example.org", "password1": PASSWORD, "password2": "other"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [
        "You must type the same password each time."
    ]
    assert not get_user_model().objects.filter(email="pat.new@example.org").exists()


def test_sign_ups_are_rate_limited_per_address(client):
    for n in range(10):
        sign_up(client, email=f"person{n}@example.org")
    response = sign_up(client, email="one.more@example.org")
    assert response.status_code == 429
    assert not get_user_model().objects.filter(email="one.more@example.org").exists()


def test_send_again_is_limited_to_one_email_every_three_minutes(client):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        sign_up(client)
        resend = {"email": "pat.new@example.org", "action_send": ""}
        client.post("/account/email/", resend)
        assert len(mail.outbox) == 1
        traveller.shift(timedelta(minutes=3, seconds=1))
        client.post("/account/email/", resend)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["pat.new@example.org"]
