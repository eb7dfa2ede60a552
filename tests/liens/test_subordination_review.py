"""Review facts: the loan's standing, our balance, CLTV at the 90 % edge, and
rules that are data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from liens.choices_subordinations import SubordinationRuleCode
from liens.models import SubordinationRule
from liens.selectors_subordinations import cltv_percent, review_facts
from tests.factories.liens_subordinations import recorded_lien, submitted_request

pytestmark = pytest.mark.django_db

BEFORE_FIRST_DUE = date(2026, 1, 15)


def _matched(**request_fields):
    request = submitted_request(**request_fields)
    request.lien = recorded_lien()
    request.save()
    return request


def test_default_rules_are_seeded_as_data():
    rules = {rule.code: rule for rule in SubordinationRule.objects.all()}
    assert set(rules) == {"loan_current", "cltv_max", "fee_paid"}
    assert rules["cltv_max"].threshold_percent == Decimal("90.00")
    assert all(rule.is_active for rule in rules.values())


def test_facts_show_a_current_loan_and_its_balance():
    facts = review_facts(_matched(), BEFORE_FIRST_DUE)
    assert facts.is_current
    assert facts.standing == "Current"
    assert facts.our_balance == Decimal("10000.00")
    # (20,000.00 + 150,000.00 + 10,000.00) / 200,000.00
    assert facts.cltv == Decimal("90.00")
    assert facts.all_pass


def test_cltv_exactly_90_percent_passes():
    request = _matched(
        senior_liens_total=Decimal("19999.99"), new_loan_amount=Decimal("150000.00")
    )
    # 180,009.99 / 200,000.00 = 90.004995 % → 90.00 %
    facts = review_facts(request, BEFORE_FIRST_DUE)
    assert facts.cltv == Decimal("90.00")
    assert facts.all_pass


def test_cltv_90_01_percent_fails_with_its_reason():
    request = _matched(
        senior_liens_total=Decimal("20010.00"), new_loan_amount=Decimal("150000.00")
    )
    # 180,010.00 / 200,000.00 = 90.005 % → 90.01 % (half-up)
    facts = review_facts(request, BEFORE_FIRST_DUE)
    assert facts.cltv == Decimal("90.01")
    assert not facts.all_pass
    [failure] = facts.failures
    assert failure.rule.code == SubordinationRuleCode.CLTV_MAX
    assert failure.reason == "CLTV 90.01% is above 90.00%."


def test_cltv_arithmetic_rounds_half_up_to_two_decimals():
    assert cltv_percent(
        senior_liens=Decimal("0.00"),
        new_loan=Decimal("1.00"),
        our_balance=Decimal("0.00"),
        appraised=Decimal("3.00"),
    ) == Decimal("33.33")


def test_a_delinquent_loan_fails_the_loan_current_rule():
    facts = review_facts(_matched(), date(2026, 3, 3))
    assert facts.days_past_due == 30
    assert facts.standing == "Delinquent, 30 days past due"
    assert [f.reason for f in facts.failures][0] == "The loan is 30 days past due."


def test_raising_the_cltv_threshold_changes_the_outcome():
    request = _matched(senior_liens_total=Decimal("20010.00"))
    assert not review_facts(request, BEFORE_FIRST_DUE).all_pass
    rule = SubordinationRule.objects.get(code=SubordinationRuleCode.CLTV_MAX)
    rule.threshold_percent = Decimal("95.00")
    rule.save()
    assert review_facts(request, BEFORE_FIRST_DUE).all_pass


def test_turning_a_rule_off_changes_the_outcome():
    request = _matched(fee_paid=False)
    facts = review_facts(request, BEFORE_FIRST_DUE)
    assert [f.reason for f in facts.failures] == ["The subordination fee is not paid."]
    SubordinationRule.objects.filter(code=SubordinationRuleCode.FEE_PAID).get()
    rule = SubordinationRule.objects.get(code=SubordinationRuleCode.FEE_PAID)
    rule.is_active = False
    rule.save()
    assert review_facts(request, BEFORE_FIRST_DUE).all_pass


def test_an_unmatched_request_fails_the_loan_rules():
    facts = review_facts(submitted_request(), BEFORE_FIRST_DUE)
    assert not facts.matched
    assert facts.cltv is None or not facts.all_pass
    assert "Not matched to a lien, so the loan is unknown." in [
        f.reason for f in facts.failures
    ]


def test_the_demo_loads_a_received_and_an_approved_request(staff_alice, supervisor_bob):
    import time_machine

    from liens.demo_subordinations import load_subordinations_demo
    from liens.models import SubordinationRequest

    with time_machine.travel(BEFORE_FIRST_DUE):
        recorded_lien()
        load_subordinations_demo({"alice": staff_alice, "bob": supervisor_bob})
        load_subordinations_demo({"alice": staff_alice, "bob": supervisor_bob})
    statuses = sorted(SubordinationRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "received"]
