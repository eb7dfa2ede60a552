"""The amortization rules of docs/architecture.md, exactly: level payment, interest on the
previous balance, the last installment takes the remainder, due dates on the
same day each month clamped to the month's end."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans.schedule import amortize, due_date, installment_amount

D = Decimal


def test_installment_is_the_rounded_level_payment():
    # 10,000 at 5 % for 60 months: P·r / (1 − (1+r)^−n) = 188.7123… → 188.71
    assert installment_amount(D("10000.00"), D("5.00"), 60) == D("188.71")


def test_a_zero_rate_installment_is_principal_over_term():
    assert installment_amount(D("1000.00"), D("0.00"), 12) == D("83.33")
    rows = amortize(D("1000.00"), D("0.00"), 12, date(2026, 2, 1))
    assert {r.interest for r in rows} == {D("0.00")}
    assert rows[-1].amount == D("83.37")  # the last takes the remainder


def test_each_row_charges_interest_on_the_previous_balance():
    rows = amortize(D("10000.00"), D("5.00"), 60, date(2026, 2, 1))
    balance = D("10000.00")
    for row in rows[:-1]:
        interest = (balance * D("5.00") / 1200).quantize(D("0.01"), "ROUND_HALF_UP")
        assert row.interest == interest
        assert row.principal == row.amount - interest == D("188.71") - interest
        balance -= row.principal
        assert row.balance_after == balance
    last = rows[-1]
    assert last.principal == balance
    assert last.amount == last.principal + last.interest
    assert last.balance_after == D("0.00")


def test_due_dates_keep_the_day_and_clamp_to_the_month_end():
    assert [due_date(date(2027, 1, 31), k) for k in (1, 2, 3, 13, 14)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
    ]


def test_half_cents_round_up():
    # 1,000.00 at 6 % → first interest exactly 5.00; 1,001.00 at 6 % → 5.005 → 5.01
    assert amortize(D("1001.00"), D("6.00"), 12, date(2026, 2, 1))[0].interest == (
        D("5.01")
    )


@settings(max_examples=200, deadline=None)
@given(
    principal=st.integers(100_00, 50_000_00).map(lambda c: Decimal(c) / 100),
    rate=st.integers(0, 1800).map(lambda c: Decimal(c) / 100),
    term=st.integers(1, 120),
)
def test_any_schedule_repays_exactly_the_principal(principal, rate, term):
    rows = amortize(principal, rate, term, date(2026, 1, 31))
    assert len(rows) == term
    assert sum((r.principal for r in rows), D("0")) == principal
    assert rows[-1].balance_after == 0
    assert all(r.balance_after >= 0 for r in rows)
    assert all(r.amount == r.principal + r.interest for r in rows)
