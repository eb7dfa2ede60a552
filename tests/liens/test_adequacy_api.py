"""POST /api/v1/deposits/adequacy-review: the contract, exactly."""

from datetime import date, timedelta

from django.utils import timezone

import pytest

from liens.choices import InstrumentType
from liens.models import AdequacyReview
from tests.factories.liens_adequacy import account, bills, instrument

pytestmark = pytest.mark.django_db

URL = "/api/v1/deposits/adequacy-review"


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def book(db):
    a, b, c = account("100001"), account("100002"), account("200001", "commercial")
    bills(a, ["100.00", "100.00", "100.01"], date(2026, 3, 1))
    bills(b, ["10.00"] * 12, date(2026, 3, 1))
    blanket = instrument(
        {a: "150.00", b: "20.00"},
        face="200.00",
        type=InstrumentType.BLANKET_BOND,
        expires_on=date(2026, 5, 1),
    )
    instrument({b: "99.00"}, expires_on=date(2026, 3, 30), number="EXPIRED")
    return blanket, c


def test_review_returns_201_with_the_exact_contract(api_client_for, staff_alice, book):
    blanket, _ = book
    response = _post(
        api_client_for(staff_alice), {"as_of": "2026-03-31", "class": "residential"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    review = AdequacyReview.objects.get()
    assert body == {
        "id": review.pk,
        "as_of": "2026-03-31",
        "class": "residential",
        "multiple": "2",
        "rows": [
            {
                "account": "100001",
                "average_bill": "100.00",
                "required": "200.00",
                "held": "150.00",
                "difference": "-50.00",
                "status": "under",
            },
            {
                "account": "100002",
                "average_bill": "10.00",
                "required": "20.00",
                "held": "20.00",
                "difference": "0.00",
                "status": "adequate",
            },
        ],
        "expiring": [{"deposit": blanket.pk, "expires_on": "2026-05-01"}],
    }


def test_all_classes_include_the_commercial_minimum(api_client_for, staff_alice, book):
    response = _post(
        api_client_for(staff_alice), {"as_of": "2026-03-31", "class": "all"}
    )
    assert response.status_code == 201
    commercial = response.json()["rows"][-1]
    assert commercial == {
        "account": "200001",
        "average_bill": "0.00",
        "required": "500.00",
        "held": "0.00",
        "difference": "-500.00",
        "status": "under",
    }


@pytest.mark.parametrize("value", ["gold", "", "Residential"])
def test_unknown_class_is_400_on_the_class_field(api_client_for, staff_alice, value):
    response = _post(
        api_client_for(staff_alice), {"as_of": "2026-03-31", "class": value}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "class": ["Choose one of: residential, commercial, all."]
    }
    assert AdequacyReview.objects.count() == 0


def test_future_date_is_400_on_as_of(api_client_for, staff_alice):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(
        api_client_for(staff_alice), {"as_of": tomorrow.isoformat(), "class": "all"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "as_of": ["The review date can't be in the future."]
    }


def test_missing_or_malformed_fields_are_400(api_client_for, staff_alice):
    client = api_client_for(staff_alice)
    missing = _post(client, {"as_of": "2026-03-31"})
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["class"]
    bad_date = _post(client, {"as_of": "2026-02-30", "class": "all"})
    assert bad_date.status_code == 400
    assert list(bad_date.json()["errors"]) == ["as_of"]


def test_today_is_accepted(api_client_for, staff_alice):
    response = _post(
        api_client_for(staff_alice),
        {"as_of": timezone.localdate().isoformat(), "class": "commercial"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "persona", ["cashier_casey", "outsider_dave", "customer_carol"]
)
def test_without_the_review_permission_it_is_403(request, api_client_for, persona):
    user = request.getfixturevalue(persona)
    response = _post(api_client_for(user), {"as_of": "2026-03-31", "class": "all"})
    assert response.status_code == 403
    assert "message" in response.json()
    assert AdequacyReview.objects.count() == 0


def test_supervisor_may_run_a_review(api_client_for, supervisor_bob):
    response = _post(
        api_client_for(supervisor_bob), {"as_of": "2026-03-31", "class": "all"}
    )
    assert response.status_code == 201
