"""Back-office sessions end after 30 minutes without a request (each request
restarts the 30 minutes); customers keep Django's two-week session."""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache

import pytest
import time_machine

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def log_in(client, username):
    response = client.post(
        "/account/login/", {"login": username, "password": "pw-for-tests"}
    )
    assert response.status_code == 302


def test_staff_idle_for_29_minutes_are_still_logged_in(client, staff_alice):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        log_in(client, "alice")
        traveller.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200


def test_staff_idle_for_31_minutes_are_sent_to_log_in(client, staff_alice):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        log_in(client, "alice")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/admin/"


def test_each_request_restarts_the_30_minutes(client, supervisor_bob):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        client.force_login(supervisor_bob)
        for _ in range(4):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/admin/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/admin/").status_code == 302


def test_customers_keep_the_two_week_session(client, customer_carol):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        log_in(client, "carol")
        traveller.shift(timedelta(hours=3))
        assert client.get("/account/").status_code == 200
        assert client.session.get_expiry_age() == 14 * 24 * 3600
        traveller.shift(timedelta(days=13))
        assert client.get("/account/").status_code == 200
