"""Property tests of the late-fee rule over generated payment histories (no
database): the installments charged are those a fee-free engine.replay shows
unpaid at their own grace end, and one catch-up run charges exactly what daily
runs over the same span would have."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans import engine, schedule
from loans.models import Loan
from loans.services.late_fees import late_installments

PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, database=None)
GRACE_DAYS = 15
START = date(2026, 1, 1)
SPAN_DAYS = 200


@st.composite
def loans_and_payments(draw):
    principal = Decimal(draw(st.integers(300_00, 5_000_00))) / 100
    rate = Decimal(draw(st.sampled_from([0, 500, 1800]))) / 100
    term = draw(st.integers(3, 12))
    loan = Loan(
        number="P",
        principal=principal,
        annual_rate=rate,
        term_months=term,
        installment_amount=schedule.installment_amount(principal, rate, term),
        first_due_date=START + timedelta(days=draw(st.integers(14, 45))),
        disbursed_on=START,
    )
    amount = loan.installment_amount
    # Near each due date and near the installment amount, so on-time, within
    # grace, late, partial, prepaid and paid-off histories all come up.
    amounts = st.one_of(
        st.just(amount),
        st.integers(1, int(amount * 150)).map(lambda c: Decimal(c) / 100),
        st.integers(int(amount * 100), int(amount * 400)).map(
            lambda c: Decimal(c) / 100
        ),
    )
    days = []
    for k in range(1, term + 1):
        due = schedule.due_date(loan.first_due_date, k)
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            offset = st.one_of(st.integers(0, GRACE_DAYS), st.integers(-10, 40))
            days.append(due + timedelta(days=draw(offset)))
    payments = [
        engine.PaymentFact(i + 1, draw(amounts), max(day, START))
        for i, day in enumerate(days)
    ]
    return loan, payments


def charged(loan, payments, as_of):
    return {
        (s.number, s.due_date)
        for s in late_installments(loan, payments, grace_days=GRACE_DAYS, as_of=as_of)
    }


@PROPERTY_SETTINGS
@given(loans_and_payments())
def test_late_means_unpaid_at_its_grace_end_in_a_replay_without_fees(case):
    loan, payments = case
    as_of = START + timedelta(days=SPAN_DAYS)
    expected = set()
    for s in engine.replay(loan, payments, [], as_of).states:
        grace_end = s.due_date + timedelta(days=GRACE_DAYS)
        if grace_end >= as_of:
            continue
        then = engine.replay(loan, payments, [], grace_end).states
        if not next(t for t in then if t.number == s.number).is_paid:
            expected.add((s.number, s.due_date))
    assert charged(loan, payments, as_of) == expected


@PROPERTY_SETTINGS
@given(loans_and_payments())
def test_one_catch_up_run_equals_daily_runs(case):
    loan, payments = case
    end = START + timedelta(days=SPAN_DAYS)
    daily = set()
    day = START
    while day <= end:
        received = [p for p in payments if p.received_on <= day]
        daily |= charged(loan, received, day)
        day += timedelta(days=1)
    assert charged(loan, payments, end) == daily
