"""Payment allocation order: fees, then interest, then principal, oldest first."""

from datetime import date
from decimal import Decimal

import pytest

from loans.schedule import AllocationLine, InstallmentState, allocate_payment

D = Decimal
RECEIVED = date(2026, 3, 20)

# Two installments due before RECEIVED, one not yet due.
FIRST = InstallmentState(1, date(2026, 2, 15), D("90.00"), D("10.00"))
SECOND = InstallmentState(2, date(2026, 3, 15), D("91.00"), D("9.00"))
THIRD = InstallmentState(3, date(2026, 4, 15), D("92.00"), D("8.00"))
LOAN = [FIRST, SECOND, THIRD]
FEES = D("25.00")


def test_fees_are_paid_before_any_interest():
    allocation = allocate_payment(D("20.00"), RECEIVED, LOAN, FEES)
    assert allocation.fees == D("20.00")
    assert allocation.lines == ()
    assert allocation.interest == allocation.principal == D("0.00")


def test_interest_of_the_oldest_installment_comes_right_after_fees():
    allocation = allocate_payment(D("30.00"), RECEIVED, LOAN, FEES)
    assert allocation.fees == D("25.00")
    assert allocation.lines == (AllocationLine(1, D("5.00"), D("0.00")),)


def test_principal_of_an_installment_is_paid_only_after_its_interest():
    allocation = allocate_payment(D("40.00"), RECEIVED, LOAN, FEES)
    assert allocation.lines == (AllocationLine(1, D("10.00"), D("5.00")),)


def test_oldest_installment_is_cleared_before_the_next_one_gets_anything():
    allocation = allocate_payment(D("150.00"), RECEIVED, LOAN, FEES)
    assert allocation.fees == D("25.00")
    assert allocation.lines == (
        AllocationLine(1, D("10.00"), D("90.00")),
        AllocationLine(2, D("9.00"), D("16.00")),
    )
    assert (allocation.interest, allocation.principal) == (D("19.00"), D("106.00"))
    assert allocation.prepayment_principal == allocation.unapplied == D("0.00")


def test_oldest_first_goes_by_due_date_not_by_list_order():
    allocation = allocate_payment(D("105.00"), RECEIVED, [THIRD, SECOND, FIRST])
    assert [line.number for line in allocation.lines] == [1, 2]
    assert allocation.lines[0] == AllocationLine(1, D("10.00"), D("90.00"))
    assert allocation.lines[1] == AllocationLine(2, D("5.00"), D("0.00"))


def test_only_what_is_still_owed_on_a_partly_paid_installment_is_taken():
    partly_paid = InstallmentState(
        1, date(2026, 2, 15), D("90.00"), D("10.00"), D("40.00"), D("10.00")
    )
    allocation = allocate_payment(D("60.00"), RECEIVED, [partly_paid, SECOND])
    assert allocation.lines == (
        AllocationLine(1, D("0.00"), D("50.00")),
        AllocationLine(2, D("9.00"), D("1.00")),
    )


def test_an_installment_due_on_the_received_date_counts_as_due():
    allocation = allocate_payment(D("100.00"), date(2026, 2, 15), [FIRST, SECOND])
    assert allocation.lines == (AllocationLine(1, D("10.00"), D("90.00")),)
    assert allocation.prepayment_principal == D("0.00")


def test_interest_of_installments_not_yet_due_is_never_collected():
    # Everything due is cleared by 225.00; the extra 50.00 must reduce
    # principal of installment 3, not pay its 8.00 of scheduled interest.
    allocation = allocate_payment(D("275.00"), RECEIVED, LOAN, FEES)
    assert [line.number for line in allocation.lines] == [1, 2]
    assert allocation.prepayment_principal == D("50.00")
    assert allocation.interest == D("19.00")


def test_every_cent_of_the_payment_is_accounted_for():
    allocation = allocate_payment(D("150.00"), RECEIVED, LOAN, FEES)
    assert allocation.applied + allocation.unapplied == allocation.amount


@pytest.mark.parametrize("amount", [D("0.00"), D("-5.00"), D("1.001")])
def test_non_positive_or_sub_cent_payments_are_rejected(amount):
    with pytest.raises(ValueError):
        allocate_payment(amount, RECEIVED, LOAN, FEES)
