"""Recording an action on a loan's collections page: human labels, the
service's refusal on its field (never a 500), a promise to pay with its
amount and date, a message in words."""

from datetime import date

from django.urls import reverse

import pytest
import time_machine

from loans.models import CollectionAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


GOOD = {
    "type": "call",
    "date": "2026-03-20",
    "channel": "phone",
    "outcome": "Spoke with the customer",
    "note": "",
    "promise_amount": "",
    "promise_date": "",
}


@pytest.fixture
def page(client, staff_alice, book):
    loan = book("L-1")
    client.force_login(staff_alice)
    return reverse("collections:loan", args=[loan.pk])


def test_the_form_offers_the_next_step_with_human_labels(client, page):
    html = client.get(page).content.decode()
    assert "Record an action" in html
    assert "What was done" in html and "Telephone call" in html
    assert '<option value="call" selected>' in html  # 47 days: the call is next
    assert "Referral to the City Attorney" in html
    assert "Promised amount" in html and "Promised by" in html


def test_recording_a_call_says_so_in_words(client, page):
    response = client.post(page, GOOD, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Telephone call recorded on loan L-1."]
    assert CollectionAction.objects.get().outcome == "Spoke with the customer"


def test_a_promise_to_pay_is_recorded_with_its_amount_and_date(client, page):
    response = client.post(
        page,
        {
            **GOOD,
            "type": "promise_to_pay",
            "promise_amount": "250.00",
            "promise_date": "2026-04-01",
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Promise to pay recorded on loan L-1: $250.00 promised by April 1, 2026."
    ]
    assert CollectionAction.objects.get().promise_status == "open"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2026-03-21"}, "date", "can't be in the future"),
        (
            {"type": "promise_to_pay"},
            "promise_amount",
            "A promise to pay needs both the amount and the date.",
        ),
        (
            {"promise_amount": "10.00", "promise_date": "2026-04-01"},
            "promise_amount",
            "Only a promise to pay has a promised amount and date.",
        ),
        (
            {
                "type": "promise_to_pay",
                "promise_amount": "10.00",
                "promise_date": "2026-03-01",
            },
            "promise_date",
            "The promised date can't be before the day of the promise.",
        ),
        ({"promise_amount": "10.005"}, "promise_amount", "more than two decimal"),
        ({"type": "sms"}, "type", "Select a valid choice"),
    ],
)
def test_a_refusal_lands_on_its_field_and_records_nothing(
    client, page, change, field, message
):
    response = client.post(page, {**GOOD, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert message.split(" (")[0].replace("'", "&#x27;") in response.content.decode()
    assert not CollectionAction.objects.exists()


def test_someone_who_may_only_look_gets_no_form_and_cannot_post(
    client, book, auditor_audrey
):
    loan = book("L-1")
    client.force_login(auditor_audrey)
    url = reverse("collections:loan", args=[loan.pk])
    assert "Record an action" not in client.get(url).content.decode()
    response = client.post(url, GOOD, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "You don't have permission to record collection actions."
    ]
    assert not CollectionAction.objects.exists()
