from decimal import Decimal

import pytest
from djmoney.money import Money

from portal.audit import bulk_create_audited
from portal.models import BillingPeriod
from portal.money import sum_money
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_a_thousand_dimes_sum_to_exactly_one_hundred_dollars():
    account = UtilityAccountFactory()
    from datetime import date

    rows = [
        BillingPeriod(
            account=account,
            period_start=date(1900 + i // 12, i % 12 + 1, 1),
            billed_amount=Money("0.10", "USD"),
        )
        for i in range(1000)
    ]
    bulk_create_audited(BillingPeriod, rows)
    assert sum_money(BillingPeriod.objects.all(), "billed_amount") == Decimal("100.00")
