"""Financial Assistance: age at/above the minimum OR a verified disability."""

import pytest

from programs.rules import Applicant, ProgramCriteria, evaluate_eligibility

FINANCIAL_ASSISTANCE = ProgramCriteria(
    customer_classes={"residential"}, minimum_age=60, senior_or_disabled=True
)


def _applicant(age: int | None, disability_verified: bool) -> Applicant:
    return Applicant(
        customer_class="residential",
        services={"electric", "water"},
        in_good_standing=True,
        age=age,
        disability_verified=disability_verified,
    )


def test_senior_without_disability_is_eligible() -> None:
    result = evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(60, False))
    assert result.eligible
    assert "Applicant age 60 meets the senior age of 60." in result.reasons


def test_verified_disability_under_the_age_is_eligible() -> None:
    result = evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(35, True))
    assert result.eligible
    assert "Disability is verified (qualifies instead of age)." in result.reasons


def test_verified_disability_with_missing_age_is_eligible() -> None:
    assert evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(None, True)).eligible


def test_senior_with_disability_is_eligible() -> None:
    assert evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(72, True)).eligible


def test_one_year_under_the_age_without_disability_is_ineligible() -> None:
    result = evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(59, False))
    assert not result.eligible
    assert result.failures == [
        "Applicant must be 60 or older or have a verified disability: "
        "age 59 is below 60 and no disability is verified."
    ]


def test_missing_age_without_disability_is_ineligible_and_says_age_is_missing() -> None:
    result = evaluate_eligibility(FINANCIAL_ASSISTANCE, _applicant(None, False))
    assert not result.eligible
    assert result.failures == [
        "Applicant must be 60 or older or have a verified disability: "
        "age is missing and no disability is verified."
    ]


@pytest.mark.parametrize(("age", "eligible"), [(65, True), (64, False)])
def test_senior_or_disabled_respects_a_minimum_age_of_65(
    age: int, eligible: bool
) -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, minimum_age=65, senior_or_disabled=True
    )
    assert evaluate_eligibility(criteria, _applicant(age, False)).eligible is eligible
