"""Prepayment: extra money reduces principal, keeps A, and shortens the loan;
money beyond the whole outstanding principal is reported as unapplied."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import (
    InstallmentState,
    allocate_payment,
    amortize,
    apply_payment,
    installment_states,
    outstanding_principal,
    reamortize,
)

D = Decimal


def pay(states, amount, received_on, rate, level, first_due):
    allocation = allocate_payment(amount, received_on, states)
    return allocation, apply_payment(states, allocation, rate, level, first_due)


def test_zero_rate_prepayment_removes_whole_installments_and_keeps_the_amount():
    first_due = date(2026, 2, 15)
    states = installment_states(amortize(D("1200.00"), D("0"), 12, first_due))
    allocation, after = pay(
        states, D("400.00"), first_due, D("0"), D("100.00"), first_due
    )

    assert allocation.principal == D("100.00")
    assert allocation.prepayment_principal == D("300.00")
    assert allocation.unapplied == D("0.00")
    # 800.00 left at 100.00 a month: installments 2..9 instead of 2..12.
    assert [s.number for s in after] == list(range(1, 10))
    assert all(s.principal_due == D("100.00") for s in after)
    assert after[-1].due_date == date(2026, 10, 15)
    assert outstanding_principal(after) == D("800.00")


def test_prepayment_reamortizes_at_the_same_installment_with_fewer_rows():
    first_due = date(2026, 2, 15)
    rate, level = D("5"), D("188.71")
    states = installment_states(amortize(D("10000.00"), rate, 60, first_due))
    _, states = pay(states, level, date(2026, 2, 15), rate, level, first_due)
    allocation, after = pay(
        states, level + D("1000.00"), date(2026, 3, 15), rate, level, first_due
    )

    assert allocation.prepayment_principal == D("1000.00")
    # 9705.30 scheduled after installment 2, minus the 1000.00 prepayment.
    assert outstanding_principal(after) == D("8705.30")
    remaining = [s for s in after if s.number >= 3]
    # Interest on installment 3 is recomputed on the reduced balance:
    # 8705.30 * 5 / 1200 = 36.272 -> 36.27.
    assert (remaining[0].interest_due, remaining[0].principal_due) == (
        D("36.27"),
        D("152.44"),
    )
    assert all(s.principal_due + s.interest_due == level for s in remaining[:-1])
    # Pays off with installment 54 instead of 60, on the loan's anchor day.
    assert remaining[-1].number == 54
    assert remaining[-1].due_date == date(2030, 7, 15)
    assert (remaining[-1].principal_due, remaining[-1].interest_due) == (
        D("63.20"),
        D("0.26"),
    )


def test_prepayment_before_anything_is_due_is_all_principal():
    first_due = date(2026, 2, 15)
    states = installment_states(amortize(D("1200.00"), D("0"), 12, first_due))
    allocation = allocate_payment(D("250.00"), date(2026, 1, 20), states)
    assert allocation.lines == ()
    assert allocation.prepayment_principal == D("250.00")


def test_payment_beyond_outstanding_principal_is_unapplied():
    first_due = date(2026, 2, 15)
    states = installment_states(amortize(D("1200.00"), D("0"), 12, first_due))
    allocation, after = pay(
        states, D("1500.00"), first_due, D("0"), D("100.00"), first_due
    )

    assert allocation.principal == D("100.00")
    assert allocation.prepayment_principal == D("1100.00")
    assert allocation.unapplied == D("300.00")
    assert outstanding_principal(after) == D("0.00")
    assert [s.number for s in after] == [1]
    assert after[0].is_paid


def test_unapplied_excess_with_interest_and_fees_outstanding():
    due = InstallmentState(1, date(2026, 2, 15), D("90.00"), D("10.00"))
    later = InstallmentState(2, date(2026, 3, 15), D("95.00"), D("5.00"))
    allocation = allocate_payment(
        D("300.00"), date(2026, 2, 20), [due, later], D("15.00")
    )
    assert allocation.fees == D("15.00")
    assert (allocation.interest, allocation.principal) == (D("10.00"), D("90.00"))
    # Only principal of the not-yet-due installment; its interest is not owed.
    assert allocation.prepayment_principal == D("95.00")
    assert allocation.unapplied == D("90.00")


def test_reamortize_of_a_zero_balance_has_no_rows():
    assert reamortize(D("0.00"), D("5"), D("100.00"), 4, date(2026, 1, 31)) == []


def test_reamortize_keeps_the_loan_anchor_day_after_a_short_month():
    rows = reamortize(D("250.00"), D("0"), D("100.00"), 2, date(2027, 1, 31))
    assert [(r.number, r.due_date, r.amount) for r in rows] == [
        (2, date(2027, 2, 28), D("100.00")),
        (3, date(2027, 3, 31), D("100.00")),
        (4, date(2027, 4, 30), D("50.00")),
    ]


def test_reamortize_refuses_an_installment_that_does_not_cover_interest():
    with pytest.raises(ValueError, match="never be repaid"):
        reamortize(D("10000.00"), D("12"), D("100.00"), 1, date(2026, 1, 15))
