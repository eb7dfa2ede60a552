"""Customer class, required services and good standing."""

from programs.rules import Applicant, ProgramCriteria, evaluate_eligibility

GAS_WATER_HEATER_REBATE = ProgramCriteria(
    customer_classes={"residential", "commercial"},
    required_services={"gas"},
    requires_good_standing=True,
)


def _applicant(
    customer_class: str = "residential",
    services: set[str] | None = None,
    in_good_standing: bool = True,
) -> Applicant:
    return Applicant(
        customer_class=customer_class,
        services={"electric", "gas"} if services is None else services,
        in_good_standing=in_good_standing,
    )


def test_applicant_meeting_every_criterion_is_eligible_with_passing_reasons() -> None:
    result = evaluate_eligibility(GAS_WATER_HEATER_REBATE, _applicant())
    assert result.eligible
    assert result.failures == []
    assert result.reasons == [
        "Customer class residential is served by this program.",
        "Account has the required service(s): gas.",
        "Account is in good standing.",
    ]


def test_customer_class_not_served_is_ineligible() -> None:
    criteria = ProgramCriteria(customer_classes={"residential"})
    result = evaluate_eligibility(criteria, _applicant(customer_class="commercial"))
    assert not result.eligible
    assert result.failures == [
        "Customer class commercial is not served by this program (serves: residential)."
    ]


def test_missing_required_service_is_ineligible_and_named() -> None:
    result = evaluate_eligibility(
        GAS_WATER_HEATER_REBATE, _applicant(services={"electric", "water"})
    )
    assert not result.eligible
    assert result.failures == ["Account does not have required service(s): gas."]


def test_every_required_service_must_be_present() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, required_services={"water", "sewer"}
    )
    assert evaluate_eligibility(
        criteria, _applicant(services={"water", "sewer", "electric"})
    ).eligible
    result = evaluate_eligibility(criteria, _applicant(services={"water"}))
    assert result.failures == ["Account does not have required service(s): sewer."]


def test_account_not_in_good_standing_is_ineligible() -> None:
    result = evaluate_eligibility(
        GAS_WATER_HEATER_REBATE, _applicant(in_good_standing=False)
    )
    assert not result.eligible
    assert result.failures == [
        "Account is not in good standing (it has a delinquent balance or was "
        "written off as bad debt)."
    ]


def test_good_standing_is_not_checked_when_the_program_does_not_require_it() -> None:
    criteria = ProgramCriteria(
        customer_classes={"residential"}, requires_good_standing=False
    )
    assert evaluate_eligibility(criteria, _applicant(in_good_standing=False)).eligible
