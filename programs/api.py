"""Programs over the API: programs with their remaining budget, and an
eligibility check for one applicant."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ninja import Field, Router, Schema

from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.checks import AccountNumber
from portal.models import UtilityAccount
from portal.money import MoneyText, money_str
from programs.models import Program
from programs.selectors import budget_positions
from programs.services import program_eligibility

router = Router(tags=["programs"])


class ProgramOut(Schema):
    code: str
    name: str
    type: str
    fiscal_year: int
    budget: str
    committed: str
    paid: str
    remaining_budget: str


class EligibilityIn(StrictIn):
    account_number: AccountNumber = Field(..., min_length=1, max_length=20)
    household_size: int | None = Field(None, ge=1, le=30)
    household_income: MoneyText | None = None
    age: int | None = Field(None, ge=0, le=130)
    disability_verified: bool = False


class EligibilityOut(Schema):
    eligible: bool
    reasons: list[str]


@router.get("/programs", response=list[ProgramOut])
def programs(request: Any) -> Any:
    require_permission(request, "programs.view_program", "view programs")
    rows = list(Program.objects.filter(is_active=True).order_by("code"))
    positions = budget_positions(rows)
    return [
        {
            "code": p.code,
            "name": p.name,
            "type": p.program_type,
            "fiscal_year": p.fiscal_year,
            "budget": money_str(p.budget),
            "committed": money_str(positions[p.pk].committed),
            "paid": money_str(positions[p.pk].paid),
            "remaining_budget": money_str(positions[p.pk].remaining),
        }
        for p in rows
    ]


@router.post("/programs/{code}/eligibility", response=EligibilityOut)
def eligibility(request: Any, code: str, payload: EligibilityIn) -> Any:
    require_permission(request, "programs.view_program", "check eligibility")
    program = get_object_or_404(Program, code=code)
    account = UtilityAccount.objects.filter(
        number=payload.account_number.strip()
    ).first()
    if account is None:
        raise ValidationError(
            {
                "account_number": [
                    f"No utility account numbered {payload.account_number}."
                ]
            }
        )
    result = program_eligibility(
        program=program,
        account=account,
        household_size=payload.household_size,
        household_income=payload.household_income,
        age=payload.age,
        disability_verified=payload.disability_verified,
    )
    return {"eligible": result.eligible, "reasons": result.reasons}
