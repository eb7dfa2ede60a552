"""The 1,000 × $0.10 rule through the aggregates the product really uses: a
program's committed budget (a database SUM of approved amounts) and its
paid total come to exactly $100.00 on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from portal.audit import bulk_create_audited
from programs.models import RebateApplication
from programs.selectors import budget_position, budget_positions
from tests.factories import ProgramFactory, UtilityAccountFactory
from tests.factories.programs import RebatePaymentFactory

pytestmark = pytest.mark.django_db


def test_a_thousand_ten_cent_approvals_commit_exactly_one_hundred_dollars():
    program = ProgramFactory(budget=Money("500.00", "USD"))
    account = UtilityAccountFactory()
    bulk_create_audited(
        RebateApplication,
        [
            RebateApplication(
                program=program,
                account=account,
                customer=account.customer,
                requested_amount=Money("0.10", "USD"),
                approved_amount=Money("0.10", "USD"),
                status="approved",
            )
            for _ in range(1000)
        ],
    )
    position = budget_position(program)
    assert str(position.committed) == "100.00"
    assert str(position.remaining) == "400.00"
    assert str(budget_positions([program])[program.pk].committed) == "100.00"


def test_paid_rebates_sum_to_the_cent(db):
    first = RebatePaymentFactory(amount=Decimal("0.10"))
    program = first.application.program
    for _ in range(99):
        RebatePaymentFactory(amount=Decimal("0.10"), application__program=program)
    assert str(budget_position(program).paid) == "10.00"
