"""Inconsistent program criteria and impossible applicant data are rejected."""

from decimal import Decimal

import pytest

from programs.rules import Applicant, ProgramCriteria, evaluate_eligibility

APPLICANT = Applicant(
    customer_class="residential", services={"electric"}, in_good_standing=True
)


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (
            ProgramCriteria(customer_classes=set()),
            "A program must serve at least one customer class.",
        ),
        (
            ProgramCriteria(customer_classes={"industrial"}),
            "Unknown customer class(es): industrial; expected commercial, residential.",
        ),
        (
            ProgramCriteria(
                customer_classes={"residential"}, required_services={"oil"}
            ),
            "Unknown service(s): oil; expected electric, gas, sewer, water.",
        ),
        (
            ProgramCriteria(customer_classes={"residential"}, minimum_age=62),
            "Minimum age must be 60, 65 or None, got 62.",
        ),
        (
            ProgramCriteria(
                customer_classes={"residential"}, income_limit_percent=Decimal("0")
            ),
            "Income limit percent must be greater than zero, got 0.",
        ),
        (
            ProgramCriteria(
                customer_classes={"residential"},
                income_limit_percent=200.0,  # type: ignore[arg-type]
            ),
            "Income limit percent must be a finite Decimal, got 200.0.",
        ),
        (
            ProgramCriteria(customer_classes={"residential"}, senior_or_disabled=True),
            "senior_or_disabled needs a minimum age (60 or 65) for the age "
            "alternative.",
        ),
        (
            ProgramCriteria(
                customer_classes={"residential"},
                minimum_age=60,
                senior_or_disabled=True,
                requires_disability=True,
            ),
            "senior_or_disabled already accepts a verified disability; "
            "requires_disability must be False with it.",
        ),
    ],
)
def test_inconsistent_criteria_are_rejected_with_a_clear_message(
    criteria: ProgramCriteria, message: str
) -> None:
    with pytest.raises(ValueError) as excinfo:
        evaluate_eligibility(criteria, APPLICANT)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("applicant", "message"),
    [
        (
            Applicant(
                customer_class="industrial", services=set(), in_good_standing=True
            ),
            "Unknown customer class 'industrial'; expected commercial, residential.",
        ),
        (
            Applicant(
                customer_class="residential", services={"cable"}, in_good_standing=True
            ),
            "Unknown service(s): cable; expected electric, gas, sewer, water.",
        ),
        (
            Applicant(
                customer_class="residential",
                services=set(),
                in_good_standing=True,
                household_size=0,
            ),
            "Household size must be at least 1, got 0.",
        ),
        (
            Applicant(
                customer_class="residential",
                services=set(),
                in_good_standing=True,
                household_income=Decimal("-1.00"),
            ),
            "Household income must not be negative, got -1.00.",
        ),
        (
            Applicant(
                customer_class="residential",
                services=set(),
                in_good_standing=True,
                household_income=52000.0,  # type: ignore[arg-type]
            ),
            "Household income must be a finite Decimal, got 52000.0.",
        ),
    ],
)
def test_impossible_applicant_data_is_rejected(
    applicant: Applicant, message: str
) -> None:
    criteria = ProgramCriteria(customer_classes={"residential"})
    with pytest.raises(ValueError) as excinfo:
        evaluate_eligibility(criteria, applicant)
    assert str(excinfo.value) == message
