"""Property-based checks of allocate_payment()/apply_payment() over random
payment sequences: money is conserved and balances stay consistent."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans.schedule import (
    allocate_payment,
    amortize,
    apply_payment,
    installment_amount,
    installment_states,
    outstanding_principal,
)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)
FIRST_DUE = date(2026, 1, 31)
ZERO = Decimal("0.00")


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=low, max_value=high).map(lambda c: Decimal(c) / 100)


loans = st.tuples(
    cents(10_000, 5_000_000),
    st.integers(min_value=0, max_value=1_800).map(lambda b: Decimal(b) / 100),
    st.integers(min_value=1, max_value=120),
)
# (days after the previous payment, amount): from a cent to a large lump sum.
payments = st.lists(
    st.tuples(st.integers(min_value=0, max_value=75), cents(1, 6_000_000)),
    min_size=1,
    max_size=15,
)


@PROPERTY_SETTINGS
@given(loan=loans, fees=cents(0, 10_000), sequence=payments)
def test_random_payment_sequences_conserve_money_and_balances(loan, fees, sequence):
    principal, rate, term = loan
    level = installment_amount(principal, rate, term)
    states = installment_states(amortize(principal, rate, term, FIRST_DUE))
    received_on = FIRST_DUE - timedelta(days=20)
    total_paid = total_allocated = principal_paid = ZERO

    for gap, amount in sequence:
        received_on += timedelta(days=gap)
        allocation = allocate_payment(amount, received_on, states, fees)
        states = apply_payment(states, allocation, rate, level, FIRST_DUE)
        fees -= allocation.fees

        # Each payment is split exactly, into non-negative parts.
        parts = (
            allocation.fees,
            allocation.interest,
            allocation.principal,
            allocation.prepayment_principal,
            allocation.unapplied,
        )
        assert all(part >= 0 for part in parts)
        assert sum(parts) == amount
        assert allocation.interest == sum(line.interest for line in allocation.lines)
        assert allocation.principal == sum(line.principal for line in allocation.lines)

        total_paid += amount
        total_allocated += sum(parts)
        principal_paid += allocation.principal + allocation.prepayment_principal

        # Nothing is ever overpaid or left negative.
        assert fees >= 0
        for s in states:
            assert s.principal_outstanding >= 0
            assert s.interest_outstanding >= 0
        assert outstanding_principal(states) == principal - principal_paid
        # Money is refused only once the whole principal is gone.
        if allocation.unapplied:
            assert outstanding_principal(states) == ZERO
            assert fees == ZERO

        # Re-amortized rows keep the level amount; only the last may differ.
        future = [s for s in states if s.due_date > received_on]
        assert all(s.principal_due + s.interest_due == level for s in future[:-1])
        assert [s.number for s in states] == list(range(1, len(states) + 1))

    assert total_allocated == total_paid
