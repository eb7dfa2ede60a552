"""Minimum age (60 or 65) and required verified disability, each on its own."""

import pytest

from programs.rules import Applicant, ProgramCriteria, evaluate_eligibility


def _applicant(age: int | None, disability_verified: bool = False) -> Applicant:
    return Applicant(
        customer_class="residential",
        services={"electric"},
        in_good_standing=True,
        age=age,
        disability_verified=disability_verified,
    )


def _seniors(minimum_age: int) -> ProgramCriteria:
    return ProgramCriteria(customer_classes={"residential"}, minimum_age=minimum_age)


@pytest.mark.parametrize("minimum_age", [60, 65])
def test_age_exactly_at_the_minimum_is_eligible(minimum_age: int) -> None:
    result = evaluate_eligibility(_seniors(minimum_age), _applicant(minimum_age))
    assert result.eligible
    assert (
        f"Applicant age {minimum_age} meets the minimum age of {minimum_age}."
        in result.reasons
    )


@pytest.mark.parametrize("minimum_age", [60, 65])
def test_age_one_year_below_the_minimum_is_ineligible(minimum_age: int) -> None:
    result = evaluate_eligibility(_seniors(minimum_age), _applicant(minimum_age - 1))
    assert not result.eligible
    assert result.failures == [
        f"Applicant age {minimum_age - 1} is below the minimum age of {minimum_age}."
    ]


def test_disability_alone_does_not_satisfy_a_minimum_age() -> None:
    # Without senior_or_disabled, age and disability are separate requirements.
    result = evaluate_eligibility(
        _seniors(65), _applicant(40, disability_verified=True)
    )
    assert not result.eligible


def test_required_disability_is_eligible_when_verified() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, requires_disability=True
    )
    result = evaluate_eligibility(criteria, _applicant(None, disability_verified=True))
    assert result.eligible
    assert "Disability is verified." in result.reasons


def test_required_disability_is_ineligible_when_not_verified() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, requires_disability=True
    )
    result = evaluate_eligibility(criteria, _applicant(70))
    assert not result.eligible
    assert result.failures == [
        "Disability is not verified; this program requires a verified disability."
    ]


def test_age_and_disability_both_required_need_both() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, minimum_age=60, requires_disability=True
    )
    assert evaluate_eligibility(criteria, _applicant(60, True)).eligible
    assert not evaluate_eligibility(criteria, _applicant(60, False)).eligible
    assert not evaluate_eligibility(criteria, _applicant(59, True)).eligible


def test_program_without_age_rule_ignores_age() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, income_limit_percent=None
    )
    assert evaluate_eligibility(criteria, _applicant(18)).eligible
