"""What a subordination review looks at: the loan's standing, our balance,
the combined loan-to-value, and each active rule's pass or fail with its
reason. Read-only; the approval service and the request page share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from liens.choices_subordinations import SubordinationRuleCode
from liens.models import SubordinationRequest, SubordinationRule
from loans.selectors import days_past_due_from, loan_summary
from portal.money import cents, format_money

HUNDRED = Decimal("100")
PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class RuleResult:
    rule: SubordinationRule
    passed: bool
    reason: str


@dataclass(frozen=True)
class ReviewFacts:
    as_of: date
    matched: bool
    loan_number: str
    days_past_due: int
    is_current: bool
    our_balance: Decimal
    senior_liens: Decimal
    new_loan: Decimal
    appraised_value: Decimal
    cltv: Decimal | None
    rules: list[RuleResult]

    @property
    def all_pass(self) -> bool:
        return all(result.passed for result in self.rules)

    @property
    def failures(self) -> list[RuleResult]:
        return [result for result in self.rules if not result.passed]

    @property
    def standing(self) -> str:
        if not self.matched:
            return "Not matched to a lien yet"
        if self.is_current:
            return "Current"
        return f"Delinquent, {self.days_past_due} days past due"


def cltv_percent(
    *,
    senior_liens: Decimal,
    new_loan: Decimal,
    our_balance: Decimal,
    appraised: Decimal,
) -> Decimal:
    """(senior liens + new loan + our balance) / appraised value, as a
    percentage rounded half-up to two decimals."""
    total = senior_liens + new_loan + our_balance
    return (total * HUNDRED / appraised).quantize(PERCENT, rounding=ROUND_HALF_UP)


def active_rules() -> list[SubordinationRule]:
    return list(SubordinationRule.objects.filter(is_active=True))


def review_facts(
    request: SubordinationRequest, as_of: date | None = None
) -> ReviewFacts:
    as_of = as_of or timezone.localdate()
    lien = request.lien
    senior = request.senior_liens_total.amount
    new_loan = request.new_loan_amount.amount
    appraised = request.appraised_value.amount
    if lien is None:
        dpd, balance, loan_number = 0, Decimal("0.00"), ""
    else:
        loan = lien.loan
        loan_number = loan.number
        dpd = days_past_due_from(loan.oldest_unpaid_due, as_of)
        balance = cents(loan_summary(loan, as_of).balance["total"])
    cltv = (
        cltv_percent(
            senior_liens=senior,
            new_loan=new_loan,
            our_balance=balance,
            appraised=appraised,
        )
        if appraised > 0
        else None
    )
    matched = lien is not None
    results = [
        _judge(rule, request, matched=matched, dpd=dpd, cltv=cltv)
        for rule in active_rules()
    ]
    return ReviewFacts(
        as_of=as_of,
        matched=matched,
        loan_number=loan_number,
        days_past_due=dpd,
        is_current=matched and dpd == 0,
        our_balance=balance,
        senior_liens=senior,
        new_loan=new_loan,
        appraised_value=appraised,
        cltv=cltv,
        rules=results,
    )


def _judge(
    rule: SubordinationRule,
    request: SubordinationRequest,
    *,
    matched: bool,
    dpd: int,
    cltv: Decimal | None,
) -> RuleResult:
    if rule.code == SubordinationRuleCode.LOAN_CURRENT:
        if not matched:
            return RuleResult(
                rule, False, "Not matched to a lien, so the loan is unknown."
            )
        if dpd == 0:
            return RuleResult(rule, True, "The loan is current.")
        return RuleResult(rule, False, f"The loan is {dpd} days past due.")
    if rule.code == SubordinationRuleCode.CLTV_MAX:
        limit = rule.threshold_percent or Decimal("0")
        if not matched or cltv is None:
            return RuleResult(rule, False, "Not matched to a lien, so CLTV is unknown.")
        if cltv <= limit:
            return RuleResult(rule, True, f"CLTV {cltv}% is within {limit}%.")
        return RuleResult(rule, False, f"CLTV {cltv}% is above {limit}%.")
    if rule.code == SubordinationRuleCode.FEE_PAID:
        if request.fee_paid:
            paid = (
                f" ({format_money(request.fee_amount.amount)})"
                if request.fee_amount
                else ""
            )
            return RuleResult(rule, True, f"The fee is paid{paid}.")
        return RuleResult(rule, False, "The subordination fee is not paid.")
    return RuleResult(rule, False, f"Unknown rule {rule.code!r}.")  # pragma: no cover
