"""The right account number, service ZIP code and name link the log-in to the
customer who owns the account; My account then lists that customer's
accounts, and only theirs."""

import pytest

from portal.choices import AccountStatus, CustomerKind
from portal.customer.services import customer_link_account
from portal.models import Customer
from tests.customer.linking import new_customer_login, post_link
from tests.factories import CustomerFactory, UserFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jensen():
    return CustomerFactory(first_name="Carol", last_name="Van Dyke")


def test_the_right_details_link_the_account_and_my_account_shows_it(client, jensen):
    UtilityAccountFactory(
        number="400123",
        customer=jensen,
        line1="12 Elm St",
        postal_code="12180",
        has_electric=True,
        has_water=True,
        has_gas=False,
    )
    user = new_customer_login()
    client.force_login(user)
    response = post_link(client, "400123", "12180", "Van Dyke")
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert Customer.objects.get(pk=jensen.pk).user == user
    assert user.groups.filter(name="Customer").exists()
    page = client.get("/account/").content.decode()
    assert "Account 400123 is now linked to your log-in." in page
    assert "Signed in as Carol Van Dyke." in page
    assert "<td>400123</td>" in page
    assert "<td>12 Elm St, Riverton, NY 12180</td>" in page
    assert "<td>Electric, Water</td>" in page


def test_case_spaces_and_zip_plus_four_do_not_matter(client, jensen):
    UtilityAccountFactory(number="400123", customer=jensen, postal_code="12180-4402")
    client.force_login(new_customer_login())
    response = post_link(client, " 400 123 ", "12180", "  vandyke ")
    assert response.status_code == 302


def test_a_business_account_is_matched_by_the_business_name(client):
    business = CustomerFactory(
        kind=CustomerKind.BUSINESS,
        first_name="",
        last_name="",
        business_name="Riverside Bakery LLC",
    )
    UtilityAccountFactory(number="500001", customer=business, postal_code="12180")
    user = new_customer_login()
    client.force_login(user)
    assert (
        post_link(client, "500001", "12180-0001", "riverside bakery llc").status_code
        == 302
    )
    assert Customer.objects.get(pk=business.pk).user == user


def test_a_final_billed_account_can_still_be_linked(client, jensen):
    UtilityAccountFactory(
        number="400123", customer=jensen, status=AccountStatus.FINAL_BILLED
    )
    client.force_login(new_customer_login())
    assert post_link(client, "400123", "12180", "Van Dyke").status_code == 302


def test_linking_a_second_account_of_the_same_customer_changes_nothing(client, jensen):
    UtilityAccountFactory(number="400123", customer=jensen)
    UtilityAccountFactory(number="400124", customer=jensen)
    user = new_customer_login()
    client.force_login(user)
    post_link(client, "400123", "12180", "Van Dyke")
    history_rows = jensen.history.count()
    response = post_link(client, "400124", "12180", "Van Dyke")
    assert response.status_code == 302
    assert jensen.history.count() == history_rows
    assert "Account 400124 is already linked to your log-in." in (
        client.get("/account/").content.decode()
    )


def test_the_link_is_recorded_in_the_customers_history_with_who_and_why(jensen):
    UtilityAccountFactory(number="400123", customer=jensen)
    user = new_customer_login()
    result = customer_link_account(
        actor=user, number="400123", postal_code="12180", last_name="Van Dyke"
    )
    assert result.already_linked is False
    row = jensen.history.latest()
    assert row.history_user == user
    assert row.history_change_reason == (
        "Linked to the log-in newcomer by the customer online, with account 400123"
    )


def test_my_account_lists_only_the_linked_customers_accounts(client, jensen):
    UtilityAccountFactory(number="400123", customer=jensen)
    neighbour = CustomerFactory(
        first_name="Ada", last_name="Okafor", user=UserFactory(username="ada")
    )
    UtilityAccountFactory(number="400777", customer=neighbour, line1="99 Oak Ave")
    client.force_login(new_customer_login())
    post_link(client, "400123", "12180", "Van Dyke")
    page = client.get("/account/").content.decode()
    assert "400123" in page
    assert "400777" not in page
    assert "99 Oak Ave" not in page
    assert "Okafor" not in page


def test_the_success_is_written_to_the_security_log(client, jensen, caplog):
    UtilityAccountFactory(number="400123", customer=jensen)
    client.force_login(new_customer_login())
    with caplog.at_level("INFO", logger="portal.security"):
        post_link(client, "400123", "12180", "Van Dyke")
    assert (
        f"account_linked user=newcomer ip=127.0.0.1 account=400123 customer={jensen.pk}"
        in [r.getMessage() for r in caplog.records]
    )
