"""The loan calculator computes with the loan engine's own arithmetic
(loans/schedule.py) and refuses amounts and terms outside the product's limits
with a message on the field."""

from datetime import date
from decimal import Decimal

from djmoney.money import Money
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.models import LoanProduct
from loans.schedule import amortize
from portal.site.calculator import LoanCalculatorForm, calculator_for, loan_estimate


def product(
    rate: str = "5.00", low: str = "500.00", high: str = "10000.00", term: int = 60
):
    # Unsaved: the calculator only reads the product's terms.
    return LoanProduct(
        code="T",
        name="Test loan",
        annual_rate=Decimal(rate),
        min_amount=Money(low, "USD"),
        max_amount=Money(high, "USD"),
        max_term_months=term,
    )


def test_six_thousand_over_sixty_months_at_zero_percent_is_one_hundred_a_month():
    estimate = loan_estimate(product("0.00"), Decimal("6000.00"), 60)
    assert estimate.installment == Decimal("100.00")
    assert estimate.last_payment == Decimal("100.00")
    assert estimate.total_of_payments == Decimal("6000.00")
    assert estimate.total_interest == Decimal("0.00")


def test_six_thousand_over_sixty_months_at_five_percent():
    estimate = loan_estimate(product("5.00"), Decimal("6000.00"), 60)
    assert estimate.installment == Decimal("113.23")
    # The last payment takes the remaining balance, as the engine's schedule does.
    assert estimate.last_payment == Decimal("113.06")
    assert estimate.total_of_payments == Decimal("6793.63")
    assert estimate.total_interest == Decimal("793.63")


def test_an_uneven_zero_percent_loan_puts_the_odd_cent_on_the_last_payment():
    estimate = loan_estimate(product("0.00"), Decimal("1000.00"), 3)
    assert (estimate.installment, estimate.last_payment) == (
        Decimal("333.33"),
        Decimal("333.34"),
    )
    assert estimate.last_differs


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=50_000, max_value=2_000_000),
    term=st.integers(min_value=1, max_value=120),
    rate=st.sampled_from(["0.00", "3.00", "5.00", "7.25"]),
)
def test_the_estimate_reconciles_with_the_schedule_the_engine_builds(cents, term, rate):
    amount = Decimal(cents) / 100
    estimate = loan_estimate(product(rate, high="20000.00", term=120), amount, term)
    rows = amortize(amount, Decimal(rate), term, date(2026, 3, 15))
    # Installment x term, less what the last payment differs by, is the total.
    adjustment = estimate.installment - estimate.last_payment
    assert estimate.installment * len(rows) - adjustment == estimate.total_of_payments
    assert estimate.total_of_payments == sum(r.amount for r in rows)
    assert estimate.total_of_payments - estimate.total_interest == amount
    assert all(r.amount == estimate.installment for r in rows[:-1])


def form(data, **terms):
    return LoanCalculatorForm(data, product=product(**terms))


def test_an_amount_below_the_smallest_loan_is_refused_on_the_amount_field():
    f = form({"amount": "499.99", "term": "12"})
    assert not f.is_valid()
    assert f.errors["amount"] == ["The smallest loan is $500.00; $499.99 is less."]
    assert "term" not in f.errors


def test_an_amount_above_the_largest_loan_is_refused_on_the_amount_field():
    f = form({"amount": "10,000.01", "term": "12"})
    assert not f.is_valid()
    assert f.errors["amount"] == ["The largest loan is $10,000.00; $10,000.01 is more."]


def test_a_term_longer_than_the_product_allows_is_refused_on_the_term_field():
    f = form({"amount": "6000", "term": "61"})
    assert not f.is_valid()
    assert f.errors["term"] == ["The longest term for this loan is 60 months."]
    assert "amount" not in f.errors


def test_a_term_of_zero_months_is_refused():
    f = form({"amount": "6000", "term": "0"})
    assert f.errors["term"] == ["The term must be at least one month."]


def test_words_in_the_amount_are_refused_with_the_money_parsers_message():
    f = form({"amount": "six thousand", "term": "60"})
    assert not f.is_valid()
    assert f.errors["amount"] and "amount" in f.errors


def test_missing_fields_say_what_to_enter():
    f = form({"amount": "", "term": ""})
    assert f.errors["amount"] == ["Enter the amount you would like to borrow."]
    assert f.errors["term"] == ["Enter how many months you would like to repay over."]


def test_an_untouched_calculator_shows_a_blank_form_and_no_result():
    f, estimate = calculator_for(product(), {})
    assert not f.is_bound and estimate is None


def test_a_valid_query_gives_the_estimate():
    f, estimate = calculator_for(product("0.00"), {"amount": "6,000", "term": "60"})
    assert estimate is not None and estimate.installment == Decimal("100.00")
