"""The late-fee rule's fee-free walk (loans.services.late_fees.FeeFreeWalk,
which sets paid installments aside and quotes a payoff only when a payment
reaches the principal) ends every payment exactly where the engine's own
Walk with no fees does: each installment's state, which installments exist,
and whether the loan is paid off. Property test, no database."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans import engine, schedule
from loans.models import Loan
from loans.services.late_fees import FeeFreeWalk

START = date(2026, 1, 1)


@st.composite
def loans_and_payments(draw):
    principal = Decimal(draw(st.integers(300_00, 20_000_00))) / 100
    rate = Decimal(draw(st.sampled_from([0, 299, 500, 1800]))) / 100
    term = draw(st.integers(1, 36))
    loan = Loan(
        number="W",
        principal=principal,
        annual_rate=rate,
        term_months=term,
        installment_amount=schedule.installment_amount(principal, rate, term),
        first_due_date=START + timedelta(days=draw(st.integers(14, 45))),
        disbursed_on=START,
    )
    amount = loan.installment_amount
    # Around the installment amount, small partial payments, several
    # installments at once (prepayments) and more than the whole loan.
    amounts = st.one_of(
        st.just(amount),
        st.integers(1, int(amount * 150)).map(lambda c: Decimal(c) / 100),
        st.integers(int(amount * 100), int(amount * 600)).map(
            lambda c: Decimal(c) / 100
        ),
        st.integers(int(principal * 90), int(principal * 130)).map(
            lambda c: Decimal(c) / 100
        ),
    )
    days = sorted(
        START + timedelta(days=draw(st.integers(0, 31 * (term + 2))))
        for _ in range(draw(st.integers(0, 2 * term + 2)))
    )
    return loan, [
        engine.PaymentFact(i + 1, draw(amounts), d) for i, d in enumerate(days)
    ]


def engine_state(walk, number):
    return next((s for s in walk.states if s.number == number), None)


@settings(max_examples=300, deadline=None, database=None)
@given(loans_and_payments())
def test_after_every_payment_each_installment_stands_where_the_engine_walk_has_it(
    case,
):
    loan, payments = case
    reference = engine.Walk(
        loan,
        schedule.installment_states(engine.original_schedule(loan)),
        engine.FeeQueue([]),
    )
    fast = FeeFreeWalk(loan)
    for payment in payments:
        reference.take(payment.amount, payment.received_on)
        fast.take(payment.amount, payment.received_on)
        assert fast.settled == reference.settled
        for number in range(1, loan.term_months + 2):
            assert fast.state(number) == engine_state(reference, number)


def test_paying_exactly_the_payoff_between_due_dates_pays_the_loan_off():
    # Every installment due by then was paid and set aside by the fee-free
    # walk; the payoff still ends it where the engine's walk ends.
    loan = Loan(
        number="W",
        principal=Decimal("5000.00"),
        annual_rate=Decimal("18.00"),
        term_months=12,
        installment_amount=schedule.installment_amount(
            Decimal("5000.00"), Decimal("18.00"), 12
        ),
        first_due_date=date(2026, 2, 1),
        disbursed_on=START,
    )
    reference = engine.Walk(
        loan,
        schedule.installment_states(engine.original_schedule(loan)),
        engine.FeeQueue([]),
    )
    fast = FeeFreeWalk(loan)
    for day in (date(2026, 2, 1), date(2026, 3, 1)):
        reference.take(loan.installment_amount, day)
        fast.take(loan.installment_amount, day)
    payoff = reference.payoff_on(date(2026, 3, 20))
    assert payoff == Decimal("4267.06")
    reference.take(payoff, date(2026, 3, 20))
    fast.take(payoff, date(2026, 3, 20))
    assert fast.settled is reference.settled is True
    assert [fast.state(n) for n in (1, 2, 3)] == [
        engine_state(reference, n) for n in (1, 2, 3)
    ]
