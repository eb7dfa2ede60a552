"""Payoff quote: outstanding principal + unpaid due interest + actual/365
accrual since the last due date (or disbursement) + unpaid fees."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import (
    InstallmentState,
    PayoffQuote,
    allocate_payment,
    amortize,
    apply_payment,
    installment_states,
    payoff_quote,
)

D = Decimal
RATE = D("6")
START = date(2026, 1, 1)
FIRST_DUE = date(2026, 2, 1)
# 12000.00 at 6 % over 12 months: A = 1032.80; installment 1 is 60.00 interest
# and 972.80 principal.
SCHEDULE = amortize(D("12000.00"), RATE, 12, FIRST_DUE)
STATES = installment_states(SCHEDULE)


def test_known_schedule_used_by_these_tests():
    assert (SCHEDULE[0].amount, SCHEDULE[0].interest, SCHEDULE[0].principal) == (
        D("1032.80"),
        D("60.00"),
        D("972.80"),
    )


def test_before_the_first_due_date_interest_accrues_from_disbursement():
    quote = payoff_quote(STATES, date(2026, 1, 21), RATE, START)
    # 12000.00 * 6 % * 20 / 365 = 39.452.. -> 39.45
    assert quote == PayoffQuote(
        as_of=date(2026, 1, 21),
        principal=D("12000.00"),
        interest=D("39.45"),
        fees=D("0.00"),
        total=D("12039.45"),
    )


def test_on_the_start_date_nothing_has_accrued():
    quote = payoff_quote(STATES, START, RATE, START)
    assert quote.interest == D("0.00")
    assert quote.total == D("12000.00")


def test_unpaid_due_interest_plus_accrual_since_last_due_date_plus_fees():
    quote = payoff_quote(STATES, date(2026, 2, 11), RATE, START, D("15.00"))
    # Installment 1 is due and unpaid: its 60.00 interest is owed, and 10 days
    # accrue on all outstanding principal: 12000.00 * 6 % * 10 / 365 = 19.726..
    assert quote.principal == D("12000.00")
    assert quote.interest == D("60.00") + D("19.73")
    assert quote.fees == D("15.00")
    assert quote.total == D("12094.73")


def test_on_a_due_date_the_installment_interest_is_owed_and_nothing_accrues():
    quote = payoff_quote(STATES, FIRST_DUE, RATE, START)
    assert quote.interest == D("60.00")
    assert quote.total == D("12060.00")


def test_after_paying_an_installment_only_principal_and_new_accrual_remain():
    allocation = allocate_payment(D("1032.80"), FIRST_DUE, STATES)
    states = apply_payment(STATES, allocation, RATE, D("1032.80"), FIRST_DUE)
    quote = payoff_quote(states, date(2026, 2, 16), RATE, START)
    # 11027.20 * 6 % * 15 / 365 = 27.190.. -> 27.19
    assert quote.principal == D("11027.20")
    assert quote.interest == D("27.19")
    assert quote.total == D("11054.39")


def test_not_yet_due_interest_is_not_part_of_the_payoff():
    quote = payoff_quote(STATES, date(2026, 1, 31), RATE, START)
    # 30 days from disbursement: 12000.00 * 6 % * 30 / 365 = 59.178.. -> 59.18,
    # not the scheduled 60.00 of installment 1.
    assert quote.interest == D("59.18")


def test_partly_paid_due_interest_counts_only_the_unpaid_part():
    states = [
        InstallmentState(1, FIRST_DUE, D("972.80"), D("60.00"), D("0.00"), D("45.00")),
        *STATES[1:],
    ]
    quote = payoff_quote(states, FIRST_DUE, RATE, START)
    assert quote.interest == D("15.00")


def test_accrual_continues_from_the_last_due_date_after_maturity():
    states = [InstallmentState(1, FIRST_DUE, D("365.00"), D("0.00"))]
    # 365.00 * 10 % * 73 / 365 = 7.30
    quote = payoff_quote(states, date(2026, 4, 15), D("10"), START)
    assert quote.interest == D("7.30")
    assert quote.total == D("372.30")


def test_exact_half_cent_accrual_rounds_up():
    states = [InstallmentState(1, date(2026, 6, 1), D("36.50"), D("0.00"))]
    # 36.50 * 5 % * 1 / 365 = 0.005 exactly -> 0.01
    quote = payoff_quote(states, date(2026, 1, 2), D("5"), START)
    assert quote.interest == D("0.01")


def test_a_quote_before_the_loan_starts_is_rejected():
    with pytest.raises(ValueError):
        payoff_quote(STATES, date(2025, 12, 31), RATE, START)
