"""Property tests over random loans and payment sequences (no database):
every cent of every payment is allocated exactly once, no balance goes
negative, and principal outstanding is principal minus principal paid."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans import engine, schedule
from loans.choices import EntryKind
from loans.models import Loan

ZERO = Decimal("0.00")
cents = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)


@st.composite
def loans_and_payments(draw):
    principal = Decimal(draw(st.integers(100_00, 50_000_00))) / 100
    rate = Decimal(draw(st.integers(0, 1800))) / 100
    term = draw(st.integers(1, 120))
    disbursed = date(2026, 1, draw(st.integers(1, 28)))
    loan = Loan(
        number="P",
        principal=principal,
        annual_rate=rate,
        term_months=term,
        installment_amount=schedule.installment_amount(principal, rate, term),
        first_due_date=disbursed + timedelta(days=draw(st.integers(15, 45))),
        disbursed_on=disbursed,
    )
    offsets = draw(st.lists(st.integers(0, 3700), min_size=1, max_size=25))
    payments = [
        engine.PaymentFact(i + 1, draw(cents), disbursed + timedelta(days=offset))
        for i, offset in enumerate(sorted(offsets))
    ]
    fees = [
        engine.FeeFact(
            1000 + i,
            Decimal(draw(st.integers(1, 5000))) / 100,
            disbursed + timedelta(days=draw(st.integers(0, 3700))),
            None,
            "late",
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    return loan, payments, fees


@settings(max_examples=150, deadline=None)
@given(loans_and_payments())
def test_allocations_sum_to_payments_and_balances_never_go_negative(case):
    loan, payments, fees = case
    result = engine.replay(loan, payments, fees)
    principal_paid = ZERO
    for payment in payments:
        bucket = result.allocations[payment.id]
        assert sum(bucket.values(), ZERO) == payment.amount
        assert all(amount >= 0 for amount in bucket.values())
        principal_paid += sum(
            (
                v
                for (kind, _), v in bucket.items()
                if kind in (EntryKind.PRINCIPAL_PAID, EntryKind.PREPAYMENT)
            ),
            ZERO,
        )
    for state in result.states:
        assert state.principal_outstanding >= 0
        assert state.interest_outstanding >= 0
    assert result.unpaid_fees >= 0
    assert result.principal_outstanding == loan.principal - principal_paid


@settings(max_examples=100, deadline=None)
@given(loans_and_payments())
def test_posting_in_order_from_the_cache_matches_a_full_replay(case):
    """The fast path (allocate from the cached schedule) gives exactly what a
    full replay gives, payment by payment."""
    loan, payments, _ = case
    full = engine.replay(loan, payments, [])
    states = schedule.installment_states(engine.original_schedule(loan))
    paid_off = False
    for payment in payments:
        step = engine.apply_one(
            loan, states, [], payment.amount, payment.received_on, paid_off
        )
        assert step.bucket == full.allocations[payment.id]
        states, paid_off = step.states, paid_off or step.paid_off
    assert states == full.states
