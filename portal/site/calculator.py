"""The loan calculator on loan program pages: amount and term in, the monthly
installment out, computed by the loan engine's own arithmetic
(loans/schedule.py), so the estimate is what a booked loan would charge.

Server-rendered from a GET form: it works without JavaScript, and a result
can be bookmarked or shared as a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from loans.models import LoanProduct
from loans.schedule import amortize, installment_amount
from portal.money import MoneyFormField, format_money

# Any day works: the amounts of a schedule do not depend on its dates.
_ANY_FIRST_DUE_DATE = date(2026, 1, 1)


@dataclass(frozen=True)
class LoanEstimate:
    amount: Decimal
    term_months: int
    annual_rate: Decimal
    installment: Decimal  # each monthly payment but the last
    last_payment: Decimal  # the last one takes the remaining balance
    total_of_payments: Decimal
    total_interest: Decimal

    @property
    def last_differs(self) -> bool:
        return self.last_payment != self.installment


def loan_estimate(
    product: LoanProduct, amount: Decimal, term_months: int
) -> LoanEstimate:
    """The installment and the totals of the schedule the engine would build for
    `amount` over `term_months` at the product's rate."""
    rate = product.annual_rate
    installment = installment_amount(amount, rate, term_months)
    rows = amortize(amount, rate, term_months, _ANY_FIRST_DUE_DATE)
    total = sum((row.amount for row in rows), Decimal("0.00"))
    interest = sum((row.interest for row in rows), Decimal("0.00"))
    return LoanEstimate(
        amount=amount,
        term_months=term_months,
        annual_rate=rate,
        installment=installment,
        last_payment=rows[-1].amount,
        total_of_payments=total,
        total_interest=interest,
    )


class LoanCalculatorForm(forms.Form):
    """Amount and term, checked against the product's own limits."""

    amount = MoneyFormField(
        label="Amount to borrow",
        help_text="In dollars, e.g. 6000 or 6,000.00.",
        error_messages={"required": "Enter the amount you would like to borrow."},
    )
    term = forms.IntegerField(
        label="Term in months",
        error_messages={
            "required": "Enter how many months you would like to repay over.",
            "invalid": "Enter the term as a whole number of months, e.g. 60.",
        },
    )

    def __init__(self, *args: Any, product: LoanProduct, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product = product
        low = format_money(product.min_amount.amount)
        high = format_money(product.max_amount.amount)
        self.fields[
            "amount"
        ].help_text = f"Between {low} and {high}; digits only, e.g. 6000 or 6000.00."
        self.fields["term"].help_text = f"From 1 to {product.max_term_months} months."
        self.fields["term"].widget.attrs.update(
            {"min": 1, "max": product.max_term_months, "inputmode": "numeric"}
        )

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        low = self.product.min_amount.amount
        high = self.product.max_amount.amount
        if amount < low:
            raise forms.ValidationError(
                f"The smallest loan is {format_money(low)}; "
                f"{format_money(amount)} is less.",
                code="too_small",
            )
        if amount > high:
            raise forms.ValidationError(
                f"The largest loan is {format_money(high)}; "
                f"{format_money(amount)} is more.",
                code="too_large",
            )
        return amount

    def clean_term(self) -> int:
        term: int = self.cleaned_data["term"]
        longest = self.product.max_term_months
        if term < 1:
            raise forms.ValidationError(
                "The term must be at least one month.", code="too_short"
            )
        if term > longest:
            raise forms.ValidationError(
                f"The longest term for this loan is {longest} months.",
                code="too_long",
            )
        return term

    def estimate(self) -> LoanEstimate:
        return loan_estimate(
            self.product, self.cleaned_data["amount"], self.cleaned_data["term"]
        )


def calculator_for(
    product: LoanProduct, query: Any
) -> tuple[LoanCalculatorForm, LoanEstimate | None]:
    """The calculator form for a page's GET parameters and its result: an empty
    form until the visitor asks, a result only for valid input."""
    if "amount" not in query and "term" not in query:
        return LoanCalculatorForm(product=product), None
    form = LoanCalculatorForm(query, product=product)
    return form, form.estimate() if form.is_valid() else None
