"""The programs API: remaining budgets, and eligibility with reasons at the
edges of each rule (income exactly at the limit, age exactly 60/65, household
size beyond the table)."""

from decimal import Decimal

import pytest

from tests.factories import ProgramFactory, UtilityAccountFactory, guideline_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def assistance(db):
    guideline_2026()
    return ProgramFactory(
        code="FA",
        program_type="grant",
        minimum_age=60,
        senior_or_disabled=True,
        income_limit_percent=Decimal("200.00"),
        requires_good_standing=False,
    )


@pytest.fixture
def api(api_client_for, staff_alice):
    return api_client_for(staff_alice)


def check(api, code="FA", **body):
    body.setdefault("account_number", "700001")
    return api.post(
        f"/api/v1/programs/{code}/eligibility", body, content_type="application/json"
    )


def test_programs_list_their_remaining_budget(api, program):
    body = api.get("/api/v1/programs").json()
    assert body == [
        {
            "code": "REE",
            "name": program.name,
            "type": "rebate",
            "fiscal_year": 2026,
            "budget": "1000.00",
            "committed": "0.00",
            "paid": "0.00",
            "remaining_budget": "1000.00",
        }
    ]


def test_the_programs_api_needs_a_token_and_permission(
    client, api_client_for, outsider_dave
):
    assert client.get("/api/v1/programs").status_code == 401
    assert api_client_for(outsider_dave).get("/api/v1/programs").status_code == 403


@pytest.mark.parametrize(
    ("income", "eligible"), [("50000.00", True), ("50000.01", False)]
)
def test_income_exactly_at_the_limit_is_eligible(api, assistance, income, eligible):
    UtilityAccountFactory(number="700001")
    # Household of 3: guideline $25,000 × 200 % = $50,000.00
    body = check(api, household_size=3, household_income=income, age=70).json()
    assert body["eligible"] is eligible
    if not eligible:
        assert any("above the limit of $50,000.00" in r for r in body["reasons"])


@pytest.mark.parametrize(("age", "eligible"), [(60, True), (59, False)])
def test_age_exactly_sixty_is_eligible(api, assistance, age, eligible):
    UtilityAccountFactory(number="700001")
    body = check(api, household_size=1, household_income="1000.00", age=age).json()
    assert body["eligible"] is eligible


def test_age_exactly_sixty_five_where_the_program_says_65(api, assistance):
    assistance.minimum_age = 65
    assistance.save()
    UtilityAccountFactory(number="700001")
    assert check(api, household_size=1, household_income="1.00", age=65).json()[
        "eligible"
    ]
    assert not check(api, household_size=1, household_income="1.00", age=64).json()[
        "eligible"
    ]


def test_household_beyond_the_table_adds_per_person(api, assistance):
    UtilityAccountFactory(number="700001")
    # Size 10: $50,000 (size 8) + 2 × $5,500 = $61,000; × 200 % = $122,000.00
    assert check(api, household_size=10, household_income="122000.00", age=61).json()[
        "eligible"
    ]
    assert not check(
        api, household_size=10, household_income="122000.01", age=61
    ).json()["eligible"]


def test_a_disability_qualifies_under_sixty(api, assistance):
    UtilityAccountFactory(number="700001")
    body = check(
        api,
        household_size=2,
        household_income="100.00",
        age=40,
        disability_verified=True,
    ).json()
    assert body["eligible"] is True


def test_service_and_class_rules(api, db):
    ProgramFactory(
        code="GIP", required_services=["gas"], customer_classes=["residential"]
    )
    UtilityAccountFactory(number="700001", has_gas=False)
    body = check(api, code="GIP").json()
    assert body["eligible"] is False
    assert any("gas" in r for r in body["reasons"])


def test_unknown_program_is_404_and_unknown_account_is_400(api, assistance):
    assert check(api, code="NOPE").status_code == 404
    response = check(api, account_number="000000")
    assert response.status_code == 400
    assert "account_number" in response.json()["errors"]


def test_bad_input_is_400_per_field(api, assistance):
    response = check(api, household_size=0, household_income="10.001", age=-1)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "household_size",
        "household_income",
        "age",
    }
