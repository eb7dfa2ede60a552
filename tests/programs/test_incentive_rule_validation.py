"""Inconsistent incentive rules are rejected with messages saying what is wrong."""

from decimal import Decimal

import pytest

from programs.rules import IncentiveRule, incentive_for


@pytest.mark.parametrize(
    "rule",
    [
        IncentiveRule(kind="fixed", amount=Decimal("300.00")),
        IncentiveRule(kind="per_unit", amount=Decimal("0.125")),
        IncentiveRule(kind="percent_of_cost", percent=Decimal("50.00")),
        IncentiveRule(
            kind="percent_of_cost", percent=Decimal("100"), cap=Decimal("1500.00")
        ),
    ],
)
def test_consistent_rules_pass_validation(rule: IncentiveRule) -> None:
    rule.validate()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            IncentiveRule(kind="rebate"),  # type: ignore[arg-type]
            "Unknown incentive kind 'rebate'; expected one of fixed, per_unit, "
            "percent_of_cost.",
        ),
        (IncentiveRule(kind="fixed"), "A fixed incentive requires an amount."),
        (IncentiveRule(kind="per_unit"), "A per_unit incentive requires an amount."),
        (
            IncentiveRule(kind="fixed", amount=Decimal("0")),
            "Incentive amount must be greater than zero, got 0.",
        ),
        (
            IncentiveRule(kind="per_unit", amount=Decimal("-1.00")),
            "Incentive amount must be greater than zero, got -1.00.",
        ),
        (
            IncentiveRule(kind="fixed", amount=300.0),  # type: ignore[arg-type]
            "Incentive amount must be a finite Decimal, got 300.0.",
        ),
        (
            IncentiveRule(kind="fixed", amount=Decimal("NaN")),
            "Incentive amount must be a finite Decimal, got Decimal('NaN').",
        ),
        (
            IncentiveRule(kind="fixed", amount=Decimal("99.999")),
            "A fixed incentive amount must be whole cents, got 99.999.",
        ),
        (
            IncentiveRule(kind="fixed", amount=Decimal("300"), percent=Decimal("50")),
            "A fixed incentive must not have a percent; use percent_of_cost for a "
            "percentage of the invoiced cost.",
        ),
        (
            IncentiveRule(kind="per_unit", amount=Decimal("1"), cap=Decimal("500")),
            "A per_unit incentive must not have a cap; a cap only applies to "
            "percent_of_cost incentives.",
        ),
        (
            IncentiveRule(kind="percent_of_cost"),
            "A percent_of_cost incentive requires a percent.",
        ),
        (
            IncentiveRule(kind="percent_of_cost", percent=Decimal("0")),
            "Incentive percent must be greater than 0 and at most 100, got 0.",
        ),
        (
            IncentiveRule(kind="percent_of_cost", percent=Decimal("100.01")),
            "Incentive percent must be greater than 0 and at most 100, got 100.01.",
        ),
        (
            IncentiveRule(kind="percent_of_cost", percent=0.5),  # type: ignore[arg-type]
            "Incentive percent must be a finite Decimal, got 0.5.",
        ),
        (
            IncentiveRule(
                kind="percent_of_cost", percent=Decimal("50"), amount=Decimal("300")
            ),
            "A percent_of_cost incentive must not have an amount; use cap to limit "
            "the payment.",
        ),
        (
            IncentiveRule(
                kind="percent_of_cost", percent=Decimal("50"), cap=Decimal("0")
            ),
            "Incentive cap must be greater than zero, got 0.",
        ),
        (
            IncentiveRule(
                kind="percent_of_cost", percent=Decimal("50"), cap=Decimal("10.001")
            ),
            "Incentive cap must be whole cents, got 10.001.",
        ),
        (
            IncentiveRule(
                kind="percent_of_cost",
                percent=Decimal("50"),
                cap=1500.0,  # type: ignore[arg-type]
            ),
            "Incentive cap must be a finite Decimal, got 1500.0.",
        ),
    ],
)
def test_inconsistent_rule_is_rejected_with_a_clear_message(
    rule: IncentiveRule, message: str
) -> None:
    with pytest.raises(ValueError) as excinfo:
        rule.validate()
    assert str(excinfo.value) == message


def test_incentive_for_refuses_to_compute_with_an_invalid_rule() -> None:
    rule = IncentiveRule(kind="fixed", amount=Decimal("-5.00"))
    with pytest.raises(ValueError, match="greater than zero"):
        incentive_for(rule, 1, None)
