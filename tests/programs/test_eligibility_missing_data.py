"""Missing age, income or household size makes the applicant ineligible,
with a reason saying what is missing, but only when the program needs it."""

from decimal import Decimal

from programs.rules import (
    Applicant,
    PovertyGuideline,
    ProgramCriteria,
    evaluate_eligibility,
)

GUIDELINE_2026 = PovertyGuideline(
    year=2026,
    base_amounts={1: Decimal("15800.00"), 2: Decimal("19600.00")},
    additional_per_person=Decimal("3800.00"),
)

INCOME_QUALIFIED = ProgramCriteria(
    customer_classes={"residential"}, income_limit_percent=Decimal("150")
)


def _applicant(
    age: int | None = None,
    household_size: int | None = None,
    household_income: Decimal | None = None,
) -> Applicant:
    return Applicant(
        customer_class="residential",
        services={"gas"},
        in_good_standing=True,
        age=age,
        household_size=household_size,
        household_income=household_income,
    )


def test_missing_age_when_a_minimum_age_applies_is_ineligible() -> None:
    criteria = ProgramCriteria(customer_classes={"residential"}, minimum_age=65)
    result = evaluate_eligibility(criteria, _applicant())
    assert not result.eligible
    assert result.failures == [
        "Applicant age is missing; this program requires age 65 or older."
    ]


def test_missing_household_income_is_ineligible() -> None:
    result = evaluate_eligibility(
        INCOME_QUALIFIED, _applicant(household_size=2), GUIDELINE_2026
    )
    assert not result.eligible
    assert result.failures == [
        "Household income is missing; required to check the income limit."
    ]


def test_missing_household_size_is_ineligible() -> None:
    result = evaluate_eligibility(
        INCOME_QUALIFIED,
        _applicant(household_income=Decimal("1000.00")),
        GUIDELINE_2026,
    )
    assert not result.eligible
    assert result.failures == [
        "Household size is missing; required to check the income limit."
    ]


def test_missing_size_and_income_are_reported_together() -> None:
    result = evaluate_eligibility(INCOME_QUALIFIED, _applicant(), GUIDELINE_2026)
    assert result.failures == [
        "Household size and household income are missing; "
        "required to check the income limit."
    ]


def test_missing_data_a_program_does_not_need_does_not_matter() -> None:
    criteria = ProgramCriteria(customer_classes={"residential"})
    assert evaluate_eligibility(criteria, _applicant()).eligible


def test_every_failing_check_is_reported_not_just_the_first() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"},
        minimum_age=60,
        income_limit_percent=Decimal("150"),
    )
    applicant = Applicant(
        customer_class="residential",
        services=set(),
        in_good_standing=False,
    )
    result = evaluate_eligibility(criteria, applicant, GUIDELINE_2026)
    assert not result.eligible
    assert result.failures == [
        "Account is not in good standing (it has a delinquent balance or was "
        "written off as bad debt).",
        "Applicant age is missing; this program requires age 60 or older.",
        "Household size and household income are missing; "
        "required to check the income limit.",
    ]
