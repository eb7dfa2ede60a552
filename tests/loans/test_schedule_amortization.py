"""Level-payment amortization: installment formula, rows, last-row remainder."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import amortize, installment_amount

D = Decimal


def test_installment_for_10000_at_5_percent_over_60_months_is_188_71():
    assert installment_amount(D("10000.00"), D("5"), 60) == D("188.71")


def test_known_schedule_first_rows_round_interest_on_the_previous_balance():
    rows = amortize(D("10000.00"), D("5"), 60, date(2026, 2, 15))
    first, second = rows[0], rows[1]
    # 10000 * 5 / 1200 = 41.666.. -> 41.67
    assert (first.interest, first.principal, first.balance_after) == (
        D("41.67"),
        D("147.04"),
        D("9852.96"),
    )
    # 9852.96 * 5 / 1200 = 41.054 -> 41.05
    assert (second.interest, second.principal, second.balance_after) == (
        D("41.05"),
        D("147.66"),
        D("9705.30"),
    )


def test_known_schedule_last_row_takes_the_remaining_balance_to_zero():
    rows = amortize(D("10000.00"), D("5"), 60, date(2026, 2, 15))
    assert len(rows) == 60
    assert [r.number for r in rows] == list(range(1, 61))
    assert all(r.amount == D("188.71") for r in rows[:-1])
    penultimate, last = rows[-2], rows[-1]
    assert penultimate.balance_after == D("188.07")
    assert (last.principal, last.interest, last.amount, last.balance_after) == (
        D("188.07"),
        D("0.78"),
        D("188.85"),
        D("0.00"),
    )


def test_known_schedule_principal_sums_to_the_loan_and_interest_to_1322_74():
    rows = amortize(D("10000.00"), D("5"), 60, date(2026, 2, 15))
    assert sum(r.principal for r in rows) == D("10000.00")
    assert sum(r.interest for r in rows) == D("1322.74")
    assert all(r.amount == r.principal + r.interest for r in rows)


def test_zero_rate_installment_is_principal_over_term_rounded():
    assert installment_amount(D("1000.00"), D("0"), 12) == D("83.33")


def test_zero_rate_last_installment_takes_the_remainder():
    rows = amortize(D("1000.00"), D("0"), 12, date(2026, 1, 15))
    assert all(r.amount == D("83.33") and r.interest == 0 for r in rows[:-1])
    assert rows[-1].amount == D("83.37")
    assert rows[-1].balance_after == D("0.00")
    assert sum(r.principal for r in rows) == D("1000.00")


def test_one_month_term_repays_principal_plus_one_month_of_interest():
    rows = amortize(D("1200.00"), D("12"), 1, date(2026, 1, 15))
    assert len(rows) == 1
    assert (rows[0].principal, rows[0].interest, rows[0].amount) == (
        D("1200.00"),
        D("12.00"),
        D("1212.00"),
    )


def test_exact_half_cent_interest_rounds_up():
    # 1.00 * 6 / 1200 = 0.005 exactly: must be 0.01, not lost to a truncated r.
    rows = amortize(D("1.00"), D("6"), 1, date(2026, 1, 15))
    assert rows[0].interest == D("0.01")


@pytest.mark.parametrize(
    ("principal", "rate", "term"),
    [
        (D("0.00"), D("5"), 12),
        (D("-1.00"), D("5"), 12),
        (D("100.001"), D("5"), 12),
        (D("100.00"), D("-1"), 12),
        (D("100.00"), D("5"), 0),
    ],
)
def test_invalid_loan_terms_are_rejected(principal, rate, term):
    with pytest.raises(ValueError):
        installment_amount(principal, rate, term)


def test_float_inputs_are_rejected():
    with pytest.raises(TypeError):
        installment_amount(1000.0, D("5"), 12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        installment_amount(D("1000.00"), 5.0, 12)  # type: ignore[arg-type]
