"""Property-based checks of amortize() over the product's loan range."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans.schedule import amortize, installment_amount

# database=None: no example database written into the project tree.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)

principals = st.integers(min_value=10_000, max_value=5_000_000).map(
    lambda cents: Decimal(cents) / 100
)
rates = st.integers(min_value=0, max_value=1_800).map(
    lambda basis: Decimal(basis) / 100
)
terms = st.integers(min_value=1, max_value=120)
first_due_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_schedule_has_one_row_per_month_of_term(principal, rate, term, first):
    rows = amortize(principal, rate, term, first)
    assert [r.number for r in rows] == list(range(1, term + 1))


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_schedule_principals_sum_to_the_loan_exactly(principal, rate, term, first):
    rows = amortize(principal, rate, term, first)
    assert sum(r.principal for r in rows) == principal


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_schedule_balances_never_negative_and_end_at_zero(principal, rate, term, first):
    rows = amortize(principal, rate, term, first)
    assert all(r.balance_after >= 0 for r in rows)
    assert all(r.principal > 0 for r in rows)
    assert rows[-1].balance_after == Decimal("0.00")


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_every_row_but_the_last_is_the_level_installment(principal, rate, term, first):
    amount = installment_amount(principal, rate, term)
    rows = amortize(principal, rate, term, first)
    assert all(r.amount == amount for r in rows[:-1])
    assert all(r.amount == r.principal + r.interest for r in rows)
    balance = principal
    for r in rows:
        balance -= r.principal
        assert r.balance_after == balance


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_all_amounts_are_whole_cents(principal, rate, term, first):
    for r in amortize(principal, rate, term, first):
        for value in (r.amount, r.principal, r.interest, r.balance_after):
            assert value.as_tuple().exponent == -2


@PROPERTY_SETTINGS
@given(principal=principals, rate=rates, term=terms, first=first_due_dates)
def test_due_dates_are_one_month_apart_on_the_anchor_day(principal, rate, term, first):
    rows = amortize(principal, rate, term, first)
    for previous, current in zip(rows, rows[1:], strict=False):
        months = (current.due_date.year - previous.due_date.year) * 12 + (
            current.due_date.month - previous.due_date.month
        )
        assert months == 1
        assert current.due_date.day <= first.day
