from decimal import Decimal

import pytest
from djmoney.money import Money

from portal.audit import bulk_create_audited
from portal.models import BillingPeriod
from portal.money import parse_amount, sum_money
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


@pytest.mark.parametrize("raw", ["1.005", "0.001", "10.999"])
def test_sub_cent_input_is_refused_rather_than_rounded(raw):
    with pytest.raises(ValueError, match="more than two decimal places"):
        parse_amount(raw)


def test_float_input_is_refused():
    with pytest.raises(ValueError, match="not floats"):
        parse_amount(0.1)


def test_whole_cent_text_is_accepted_exactly():
    assert parse_amount("1234.56") == Decimal("1234.56")
