"""Failed attempts to link an account are throttled: the sixth for one log-in
within 15 minutes, and the 21st from one address, is refused without looking
at the details at all (even the right ones), until the window has passed.
Successful links are not counted."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.models import Customer
from tests.customer.linking import (
    NO_MATCH,
    TOO_MANY,
    new_customer_login,
    post_link,
    refusal_block,
)
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def jensen_account():
    customer = CustomerFactory(first_name="Carol", last_name="Jensen")
    return UtilityAccountFactory(
        number="400123", customer=customer, postal_code="12180"
    )


def test_after_five_failures_even_the_right_details_are_refused(client, jensen_account):
    user = new_customer_login()
    client.force_login(user)
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(5):
            assert NO_MATCH in refusal_block(post_link(client, "400123", "12180", "X"))
        response = post_link(client, "400123", "12180", "Jensen")
    assert refusal_block(response) == (
        '<div class="notice error" role="alert"><ul class="errorlist nonfield">'
        f"<li>{TOO_MANY}</li></ul></div>"
    )
    assert not Customer.objects.filter(user=user).exists()


def test_the_throttle_lifts_when_the_15_minute_window_has_passed(
    client, jensen_account
):
    user = new_customer_login()
    client.force_login(user)
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        for _ in range(5):
            post_link(client, "400123", "12180", "X")
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert TOO_MANY in refusal_block(post_link(client, "400123", "12180", "Jensen"))
        traveller.shift(timedelta(seconds=2))
        response = post_link(client, "400123", "12180", "Jensen")
    assert response.status_code == 302
    assert Customer.objects.get(user=user) == jensen_account.customer


def test_the_21st_failure_from_one_address_is_refused_whoever_is_logged_in(
    client, jensen_account
):
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(4):
            client.force_login(new_customer_login(f"guesser{n}"))
            for _ in range(5):
                post_link(client, "400123", "12180", "X")
        client.force_login(new_customer_login("fifth"))
        response = post_link(client, "400123", "12180", "Jensen")
    assert TOO_MANY in refusal_block(response)
    assert Customer.objects.get(pk=jensen_account.customer_id).user is None


def test_failures_of_one_log_in_do_not_throttle_another_below_the_address_limit(
    client, jensen_account
):
    with time_machine.travel(NINE_AM, tick=False):
        client.force_login(new_customer_login("guesser"))
        for _ in range(5):
            post_link(client, "400123", "12180", "X")
        client.force_login(new_customer_login("owner"))
        response = post_link(client, "400123", "12180", "Jensen")
    assert response.status_code == 302


def test_successful_links_are_not_counted(client):
    user = new_customer_login()
    customer = CustomerFactory(last_name="Jensen")
    for n in range(6):
        UtilityAccountFactory(number=f"40012{n}", customer=customer)
    client.force_login(user)
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(6):
            assert post_link(client, f"40012{n}", "12180", "Jensen").status_code == 302
        for _ in range(4):
            post_link(client, "400120", "12180", "X")
        # Four failures so far: a fifth wrong attempt is still checked.
        assert NO_MATCH in refusal_block(post_link(client, "400120", "12180", "X"))


def test_failures_and_the_throttle_are_written_to_the_security_log(
    client, jensen_account, caplog
):
    client.force_login(new_customer_login())
    with time_machine.travel(NINE_AM, tick=False):
        with caplog.at_level("INFO", logger="portal.security"):
            for _ in range(6):
                post_link(client, "400123", "12180", "X")
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert (
        lines.count("account_link_failed user=newcomer ip=127.0.0.1 account=400123")
        == 5
    )
    assert lines[-1] == "account_link_throttled user=newcomer ip=127.0.0.1"
