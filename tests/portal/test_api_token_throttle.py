"""Wrong API tokens are counted per client address: after ten within 15
minutes, every token from that address, even a right one, gets 429 in the
API's JSON shape with Retry-After, until the window has passed."""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache

from wagtail.models import APIToken

import pytest
import time_machine

pytestmark = pytest.mark.django_db

NINE_AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def right_token(staff_alice):
    _, plaintext = APIToken.create_token(user=staff_alice, name="service")
    return plaintext


def get(client, token, **extra):
    return client.get(
        "/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


def test_after_ten_wrong_tokens_even_the_right_token_gets_429(client, right_token):
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(10):
            assert get(client, f"guess-{n}").status_code == 401
        response = get(client, right_token)
    assert response.status_code == 429
    assert response.json() == {
        "message": "Too many wrong API tokens from this address; try again in "
        "15 minutes."
    }
    assert response["Retry-After"] == "900"


def test_nine_wrong_tokens_leave_the_right_one_working(client, right_token):
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(9):
            get(client, f"guess-{n}")
        assert get(client, right_token).status_code == 200


def test_after_the_window_the_right_token_works_again(client, right_token):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        for n in range(10):
            get(client, f"guess-{n}")
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert get(client, right_token).status_code == 429
        traveller.shift(timedelta(seconds=2))
        assert get(client, right_token).status_code == 200


def test_retry_after_counts_from_the_oldest_wrong_token(client, right_token):
    with time_machine.travel(NINE_AM, tick=False) as traveller:
        get(client, "early-guess")
        traveller.shift(timedelta(minutes=5))
        for n in range(9):
            get(client, f"guess-{n}")
        response = get(client, right_token)
    assert response["Retry-After"] == "600"
    assert response.json()["message"] == (
        "Too many wrong API tokens from this address; try again in 10 minutes."
    )


def test_a_state_changing_call_is_refused_the_same_way(client, right_token):
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(10):
            client.post("/api/v1/customers", {}, HTTP_AUTHORIZATION=f"Bearer guess-{n}")
        response = client.post(
            "/api/v1/customers",
            {"kind": "residential"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {right_token}",
        )
    assert response.status_code == 429


def test_another_address_is_not_throttled(client, right_token):
    with time_machine.travel(NINE_AM, tick=False):
        for n in range(10):
            get(client, f"guess-{n}")
        assert get(client, right_token, REMOTE_ADDR="10.9.8.7").status_code == 200


def test_right_tokens_are_never_counted(client, right_token):
    with time_machine.travel(NINE_AM, tick=False):
        for _ in range(25):
            assert get(client, right_token).status_code == 200
