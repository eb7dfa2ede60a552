"""Linking a utility account needs the account number plus the service ZIP
code and the last name on the account. Every way of getting it wrong answers
the very same words (so the form can't be used to learn which fact was wrong,
or whether a number exists or is already someone's), and changes nothing."""

import pytest

from portal.choices import AccountStatus
from portal.models import Customer
from tests.customer.linking import (
    NO_MATCH,
    new_customer_login,
    post_link,
    refusal_block,
)
from tests.factories import CustomerFactory, UserFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jensen_account():
    customer = CustomerFactory(first_name="Carol", last_name="Jensen")
    return UtilityAccountFactory(
        number="400123", customer=customer, postal_code="12180"
    )


@pytest.fixture
def newcomer(client):
    user = new_customer_login()
    client.force_login(user)
    return user


def test_wrong_number_wrong_zip_wrong_name_and_someone_elses_account_read_the_same(
    client, newcomer, jensen_account
):
    taken = UtilityAccountFactory(
        number="400999",
        postal_code="12180",
        customer=CustomerFactory(last_name="Okafor", user=UserFactory(username="ada")),
    )
    blocks = {
        "unknown number": refusal_block(post_link(client, "400124", "12180", "Jensen")),
        "wrong ZIP": refusal_block(post_link(client, "400123", "12181", "Jensen")),
        "wrong name": refusal_block(post_link(client, "400123", "12180", "Jenson")),
        "linked to another log-in": refusal_block(
            post_link(client, taken.number, "12180", "Okafor")
        ),
    }
    assert len(set(blocks.values())) == 1, blocks
    assert NO_MATCH in blocks["wrong ZIP"]
    assert not Customer.objects.filter(user=newcomer).exists()
    assert Customer.objects.get(pk=taken.customer_id).user.username == "ada"


@pytest.mark.parametrize("status", [AccountStatus.CLOSED, AccountStatus.INACTIVE])
def test_a_closed_or_inactive_account_is_refused_with_the_same_message(
    client, newcomer, jensen_account, status
):
    jensen_account.status = status
    jensen_account.save()
    response = post_link(client, "400123", "12180", "Jensen")
    assert NO_MATCH in refusal_block(response)
    assert Customer.objects.get(pk=jensen_account.customer_id).user is None


def test_a_log_in_already_linked_to_one_customer_cannot_take_a_second_customer(
    client, jensen_account
):
    user = new_customer_login("okafor")
    mine = CustomerFactory(last_name="Okafor", user=user)
    client.force_login(user)
    response = post_link(client, "400123", "12180", "Jensen")
    assert NO_MATCH in refusal_block(response)
    assert Customer.objects.get(pk=jensen_account.customer_id).user is None
    assert Customer.objects.get(user=user) == mine


def test_the_refusal_names_the_office_phone_when_the_office_has_one(
    client, newcomer, jensen_account
):
    from wagtail.models import Site

    from portal.models import OfficeSettings

    OfficeSettings.objects.create(
        site=Site.objects.get(is_default_site=True), phone="(518) 555-0142"
    )
    response = post_link(client, "400124", "12180", "Jensen")
    assert (
        "or the last name on the account, or call us at (518) 555-0142."
        not in refusal_block(response)
    )
    assert "name on the account, or call us at (518) 555-0142." in refusal_block(
        response
    )


def test_a_refusal_shows_nothing_of_the_account_or_its_customer(
    client, newcomer, jensen_account
):
    body = post_link(client, "400123", "12180", "Jenson").content.decode()
    assert "Carol" not in body
    assert jensen_account.line1 not in body


def test_a_malformed_zip_is_refused_on_its_field_and_nothing_is_checked(
    client, newcomer, jensen_account
):
    response = post_link(client, "400123", "1218", "Jensen")
    form = response.context["form"]
    assert form.errors["postal_code"] == [
        "Enter a ZIP code of 5 digits, e.g. 12180 (or ZIP+4, e.g. 12180-1234)."
    ]
    assert not form.non_field_errors()
    assert (
        'aria-describedby="id_postal_code_helptext id_postal_code_error"'
        in response.content.decode()
    )


def test_empty_fields_are_each_refused_on_their_own_field(client, newcomer):
    form = post_link(client, "", "", "").context["form"]
    assert form.errors == {
        "number": ["Enter the account number from your bill."],
        "postal_code": ["Enter the ZIP code of the service address."],
        "last_name": ["Enter the last name on the account."],
    }


def test_staff_cannot_link_an_account(client, staff_alice, jensen_account):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=staff_alice, email=staff_alice.email, primary=True, verified=True
    )
    client.force_login(staff_alice)
    page = client.get("/account/link/").content.decode()
    assert "Staff log-ins can't be linked to a utility account." in page
    assert 'name="number"' not in page
    post_link(client, "400123", "12180", "Jensen")
    assert Customer.objects.get(pk=jensen_account.customer_id).user is None


def test_the_service_refuses_staff_too(staff_alice, jensen_account):
    from django.core.exceptions import ValidationError

    from portal.customer.services import customer_link_account

    with pytest.raises(ValidationError) as refused:
        customer_link_account(
            actor=staff_alice, number="400123", postal_code="12180", last_name="Jensen"
        )
    assert refused.value.messages == [
        "Staff log-ins can't be linked to a utility account. Use a separate "
        "customer log-in for your own accounts."
    ]


def test_the_link_page_is_never_cached(client, newcomer):
    response = client.get("/account/link/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_link_page_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/account/link/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/link/"
