"""The demo loader leaves a policy, one review and a decision waiting for
approval, and is safe to run twice."""

from decimal import Decimal

import pytest

from liens.demo_adequacy import load_adequacy_demo
from liens.models import AdequacyPolicy, AdequacyReview, DepositDecision
from tests.factories.liens_adequacy import account

pytestmark = pytest.mark.django_db


def test_demo_loads_once(staff_alice):
    for n in range(1, 5):
        account(f"10000{n}")
    account("100005", delinquent_balance=Decimal("84.20"))
    load_adequacy_demo()
    load_adequacy_demo()
    assert AdequacyPolicy.objects.count() == 1
    review = AdequacyReview.objects.get()
    assert review.accounts_reviewed == 5
    assert review.expiring.count() == 1
    decision = DepositDecision.objects.get()
    assert (decision.account.number, decision.status) == ("100005", "proposed")
    assert decision.prepared_by == staff_alice
