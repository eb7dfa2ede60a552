"""One log-in for customers and staff (allauth at /account/login/), limited:
the sixth wrong password for one person within 15 minutes is refused even with
the right password, and so is the 21st failure from one address."""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache

import pytest
import time_machine

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED_OUT = "Too many failed login attempts. Try again later."
WRONG = "The username and/or password you specified are not correct."
NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def log_in(client, login, password, **extra):
    return client.post(
        "/account/login/", {"login": login, "password": password}, **extra
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_the_sixth_wrong_password_for_one_person_is_refused_even_with_the_right_one(
    client, customer_carol
):
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(5):
            response = log_in(client, "carol", "wrong")
            assert WRONG in response.content.decode()
        response = log_in(client, "carol", "pw-for-tests")
    assert response.status_code == 200
    assert LOCKED_OUT in response.content.decode()
    assert not is_logged_in(client)


def test_after_the_15_minute_window_the_right_password_logs_in(client, customer_carol):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        for _ in range(5):
            log_in(client, "carol", "wrong")
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert LOCKED_OUT in log_in(client, "carol", "pw-for-tests").content.decode()
        traveller.shift(timedelta(seconds=2))
        response = log_in(client, "carol", "pw-for-tests")
        assert response.status_code == 302
        assert is_logged_in(client)


def test_failures_by_username_and_by_email_count_together_for_one_person(
    client, customer_carol
):
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(3):
            log_in(client, "carol", "wrong")
        for _ in range(2):
            log_in(client, "CAROL@example.org", "wrong")
        response = log_in(client, "carol", "pw-for-tests")
    assert LOCKED_OUT in response.content.decode()


def test_a_right_password_in_between_does_not_wipe_earlier_failures(
    client, customer_carol
):
    # A second between attempts: allauth takes back only the right attempt's
    # count, found by its timestamp.
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        for _ in range(4):
            log_in(client, "carol", "wrong")
            traveller.shift(timedelta(seconds=1))
        assert log_in(client, "carol", "pw-for-tests").status_code == 302
        client.logout()
        traveller.shift(timedelta(seconds=1))
        log_in(client, "carol", "wrong")
        traveller.shift(timedelta(seconds=1))
        response = log_in(client, "carol", "pw-for-tests")
    assert LOCKED_OUT in response.content.decode()


def test_a_lockout_of_one_person_leaves_others_free(
    client, customer_carol, staff_alice
):
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(5):
            log_in(client, "carol", "wrong")
        response = log_in(client, "alice", "pw-for-tests")
    assert response.status_code == 302


def test_the_21st_failure_from_one_address_is_refused_whoever_it_is_for(client, db):
    for n in range(5):
        UserFactory(username=f"sprayed{n}")
    UserFactory(username="victim")
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(5):
            for _ in range(4):
                log_in(client, f"sprayed{n}", "wrong")
        refused = log_in(client, "victim", "pw-for-tests")
        elsewhere = log_in(client, "victim", "pw-for-tests", REMOTE_ADDR="10.1.2.3")
    assert LOCKED_OUT in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_customer_logs_in_by_username_or_by_email(client, customer_carol):
    assert log_in(client, "carol@example.org", "pw-for-tests").status_code == 302
    client.logout()
    response = log_in(client, "carol", "pw-for-tests")
    assert response["Location"] == "/account/"


def test_staff_land_in_the_back_office_after_logging_in(client, staff_alice):
    response = log_in(client, "alice", "pw-for-tests")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_log_in_follows_next(client, staff_alice):
    response = client.post(
        "/account/login/?next=/admin/loans/",
        {"login": "alice", "password": "pw-for-tests"},
    )
    assert response["Location"] == "/admin/loans/"


def test_the_log_in_page_labels_its_fields(client):
    page = client.get("/account/login/").content.decode()
    assert '<label for="id_login">Username or e-mail</label>' in page
    assert '<label for="id_password">Password</label>' in page
