"""PUT /api/v1/accounts/{number}/bills: upserts the monthly bills by month,
idempotent, all or nothing with the bad item named."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from djmoney.money import Money

from portal.models import BillingPeriod
from tests.factories.portal import BillingPeriodFactory, UtilityAccountFactory
from tests.factories.portal_feed import cis_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/100200/bills"


def put(client, body, url=URL):
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def cis(api_client_for):
    return api_client_for(cis_user())


@pytest.fixture
def account():
    return UtilityAccountFactory(number="100200")


def billed(account):
    return {
        f"{row.period_start:%Y-%m}": row.billed_amount.amount
        for row in BillingPeriod.objects.filter(account=account)
    }


def test_bills_are_stored_by_month_and_counted(cis, account):
    response = put(
        cis,
        [
            {"period": "2026-01", "amount": "123.45"},
            {"period": "2026-02", "amount": "98.10"},
        ],
    )
    assert response.status_code == 200
    assert response.json() == {"account": "100200", "bills": 2}
    assert billed(account) == {
        "2026-01": Decimal("123.45"),
        "2026-02": Decimal("98.10"),
    }
    row = BillingPeriod.objects.get(account=account, period_start=date(2026, 1, 1))
    assert row.history.first().history_user.username == "cis"
    assert row.history.first().history_change_reason == (
        "Bills received from the billing system"
    )


def test_a_month_sent_again_is_updated_and_the_same_body_twice_changes_nothing(
    cis, account
):
    BillingPeriodFactory(
        account=account,
        period_start=date(2026, 1, 1),
        billed_amount=Money("100.00", "USD"),
        paid_amount=Money("100.00", "USD"),
    )
    body = [
        {"period": "2026-01", "amount": "110.00"},
        {"period": "2026-02", "amount": "90.00"},
    ]
    assert put(cis, body).json() == {"account": "100200", "bills": 2}
    assert billed(account) == {
        "2026-01": Decimal("110.00"),
        "2026-02": Decimal("90.00"),
    }
    january = BillingPeriod.objects.get(account=account, period_start=date(2026, 1, 1))
    assert january.paid_amount.amount == Decimal("100.00")  # the feed sends bills only
    history = BillingPeriod.history.count()
    assert put(cis, body).json() == {"account": "100200", "bills": 2}
    assert BillingPeriod.history.count() == history
    assert BillingPeriod.objects.filter(account=account).count() == 2


@pytest.mark.parametrize(
    ("bad", "key", "message"),
    [
        (
            {"period": "2026-13", "amount": "1.00"},
            "2.period",
            "'2026-13' is not a month; write it as YYYY-MM, for example 2026-03.",
        ),
        (
            {"period": "2026-3", "amount": "1.00"},
            "2.period",
            "'2026-3' is not a month; write it as YYYY-MM, for example 2026-03.",
        ),
        (
            {"period": "2026-01", "amount": "-1.00"},
            "2.amount",
            "The amount can't be negative.",
        ),
        (
            {"period": "2026-01", "amount": "1.001"},
            "2.amount",
            "Amounts are in dollars and cents: '1.001' has more than two decimal "
            "places.",
        ),
        (
            {"period": "2026-01", "amount": "ten"},
            "2.amount",
            "'ten' is not an amount of money; use digits with an optional decimal "
            "point, for example 1234.56.",
        ),
        (
            {"period": "2026-02", "amount": "5.00"},
            "2.period",
            "2026-02 appears more than once; send each month once.",
        ),
    ],
)
def test_one_bad_item_refuses_the_whole_request_naming_it(
    cis, account, bad, key, message
):
    body = [
        {"period": "2025-12", "amount": "10.00"},
        {"period": "2026-02", "amount": "20.00"},
        bad,
    ]
    response = put(cis, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {key: [message]}
    assert not BillingPeriod.objects.exists()


def test_a_month_after_the_current_one_is_refused(cis, account, settings):
    from django.utils import timezone

    today = timezone.localdate()
    future = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    current = today.replace(day=1)
    response = put(
        cis,
        [
            {"period": f"{current:%Y-%m}", "amount": "10.00"},
            {"period": f"{future:%Y-%m}", "amount": "10.00"},
        ],
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "1.period": [
            f"'{future:%Y-%m}' has not been billed yet; the latest month is "
            f"{today:%Y-%m}."
        ]
    }
    assert not BillingPeriod.objects.exists()


def test_bills_for_an_unknown_account_are_404(cis, db):
    response = put(cis, [{"period": "2026-01", "amount": "1.00"}], url=URL)
    assert response.status_code == 404
    assert response.json() == {"message": "No account 100200."}


def test_a_body_that_is_not_a_list_is_refused(cis, account):
    response = put(cis, {"period": "2026-01", "amount": "1.00"})
    assert response.status_code == 400
    assert not BillingPeriod.objects.exists()
