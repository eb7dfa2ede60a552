"""Income limit: household income at or below N% of the poverty guideline."""

from decimal import Decimal

import pytest

from programs.rules import (
    Applicant,
    PovertyGuideline,
    ProgramCriteria,
    evaluate_eligibility,
)

# Illustrative 2026 figures; a household of 3 is $23,400, so 200% is $46,800.
GUIDELINE_2026 = PovertyGuideline(
    year=2026,
    base_amounts={
        1: Decimal("15800.00"),
        2: Decimal("19600.00"),
        3: Decimal("23400.00"),
        4: Decimal("27200.00"),
        5: Decimal("31000.00"),
        6: Decimal("34800.00"),
        7: Decimal("38600.00"),
        8: Decimal("42400.00"),
    },
    additional_per_person=Decimal("4100.00"),
)

INCOME_QUALIFIED = ProgramCriteria(
    customer_classes={"residential"},
    income_limit_percent=Decimal("200.00"),
)


def _applicant(household_size: int | None, income: Decimal | None) -> Applicant:
    return Applicant(
        customer_class="residential",
        services={"electric"},
        in_good_standing=True,
        household_size=household_size,
        household_income=income,
    )


def test_income_exactly_at_the_limit_is_eligible() -> None:
    result = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(3, Decimal("46800.00")), GUIDELINE_2026
    )
    assert result.eligible
    assert (
        "Household income $46,800.00 is within the limit of $46,800.00 "
        "(200% of the 2026 guideline for a household of 3)." in result.reasons
    )


def test_income_one_cent_above_the_limit_is_ineligible() -> None:
    result = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(3, Decimal("46800.01")), GUIDELINE_2026
    )
    assert not result.eligible
    assert result.failures == [
        "Household income $46,800.01 is above the limit of $46,800.00 "
        "(200% of the 2026 guideline for a household of 3)."
    ]


def test_failing_income_reason_states_income_limit_percent_year_and_size() -> None:
    result = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(3, Decimal("52000")), GUIDELINE_2026
    )
    assert result.failures == [
        "Household income $52,000.00 is above the limit of $46,800.00 "
        "(200% of the 2026 guideline for a household of 3)."
    ]


def test_household_beyond_the_table_uses_additional_per_person() -> None:
    # Size 10 = $42,400 + 2 x $4,100 = $50,600; 200% = $101,200.
    at_limit = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(10, Decimal("101200.00")), GUIDELINE_2026
    )
    above = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(10, Decimal("101200.01")), GUIDELINE_2026
    )
    assert at_limit.eligible
    assert not above.eligible
    assert above.failures == [
        "Household income $101,200.01 is above the limit of $101,200.00 "
        "(200% of the 2026 guideline for a household of 10)."
    ]


def test_fractional_percent_is_shown_without_trailing_zeros() -> None:
    # 133.33% of $15,800.00 = $21,066.14.
    criteria = ProgramCriteria(
        customer_classes={"residential"}, income_limit_percent=Decimal("133.330")
    )
    result = evaluate_eligibility(
        criteria, _applicant(1, Decimal("21066.14")), GUIDELINE_2026
    )
    assert result.eligible
    assert (
        "Household income $21,066.14 is within the limit of $21,066.14 "
        "(133.33% of the 2026 guideline for a household of 1)." in result.reasons
    )


def test_income_limit_is_rounded_half_up_to_the_cent() -> None:
    # 150.5% of $15,801.00 = $23,780.505 -> $23,780.51 (half-even: .50).
    guideline = PovertyGuideline(
        year=2026,
        base_amounts={1: Decimal("15801.00")},
        additional_per_person=Decimal("5000.00"),
    )
    criteria = ProgramCriteria(
        customer_classes={"residential"}, income_limit_percent=Decimal("150.5")
    )
    at_limit = evaluate_eligibility(
        criteria, _applicant(1, Decimal("23780.51")), guideline
    )
    above = evaluate_eligibility(
        criteria, _applicant(1, Decimal("23780.52")), guideline
    )
    assert at_limit.eligible
    assert above.failures == [
        "Household income $23,780.52 is above the limit of $23,780.51 "
        "(150.5% of the 2026 guideline for a household of 1)."
    ]


def test_program_without_income_limit_ignores_income() -> None:
    criteria = ProgramCriteria(customer_classes={"residential"})
    result = evaluate_eligibility(criteria, _applicant(None, None))
    assert result.eligible


def test_income_limit_without_a_guideline_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="no poverty guideline was given"):
        evaluate_eligibility(INCOME_QUALIFIED, _applicant(3, Decimal("1000.00")))
