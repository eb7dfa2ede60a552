"""Aging as of a past date is read set-based from the ledger and the
schedule rows (loans.aging_selectors); it must equal the engine's replay of
the payments received by that date, whatever the history: late, partial,
prepaid (re-amortized) and paid-off loans, back-dated payments, returned
checks and late fees. Hypothesis draws the histories; each example books its
own loan."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans import aging_selectors, engine, schedule
from loans.choices import OPEN_LOAN_STATUSES
from loans.services.late_fees import _assess_loan, late_installments
from loans.services.payments import payment_post, payment_reverse

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)
FIRST_DUE = date(2026, 2, 1)
numbers = itertools.count(1)

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    # The same examples on every run, so CI is reproducible; the case below
    # that a random run found is kept as its own (failing) example.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def histories(draw):
    term = draw(st.integers(3, 10))
    principal = Decimal(draw(st.integers(500_00, 4_000_00))) / 100
    rate = draw(st.sampled_from(["0.00", "5.00", "18.00"]))
    amount = schedule.installment_amount(principal, Decimal(rate), term)
    payments = []
    for k in range(1, term + 1):
        due = schedule.due_date(FIRST_DUE, k)
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            day = due + timedelta(days=draw(st.integers(-12, 45)))
            cents = draw(
                st.one_of(
                    st.just(int(amount * 100)),
                    st.integers(1, int(amount * 150)),
                    st.integers(int(amount * 100), int(amount * 350)),
                )
            )
            payments.append((day, Decimal(cents) / 100))
    # Posted in the drawn order, so some are back-dated before others.
    payments = draw(st.permutations(payments))
    reverse = draw(st.sets(st.integers(0, max(len(payments) - 1, 0)), max_size=2))
    fee_day = FIRST_DUE + timedelta(days=draw(st.integers(0, 330)))
    checks = draw(st.lists(st.integers(0, 420), min_size=3, max_size=6))
    return term, principal, rate, payments, reverse, fee_day, checks


# Found by a random run on 2026-11-24 (PostgreSQL): a returned check before
# the payoff moved it from September 1 to December 14, and the loan's
# paid-off date stayed September 1, so aging as of November 22 skipped a loan
# 52 days past due. Fixed in the engine (LedgerWriter.status).
FOUND_2026_11_24 = (
    10,
    Decimal("2673.22"),
    "0.00",
    [
        (date(2026, 2, 1), Decimal("267.32")),
        (date(2026, 5, 1), Decimal("0.01")),
        (date(2026, 8, 1), Decimal("267.32")),
        (date(2026, 6, 1), Decimal("0.01")),
        (date(2026, 9, 1), Decimal("267.32")),
        (date(2026, 7, 1), Decimal("0.01")),
        (date(2026, 4, 1), Decimal("675.65")),
        (date(2026, 12, 14), Decimal("267.32")),
        (date(2026, 7, 1), Decimal("267.32")),
        (date(2026, 5, 1), Decimal("267.32")),
        (date(2026, 3, 1), Decimal("267.32")),
        (date(2026, 8, 1), Decimal("533.50")),
    ],
    {0},
    date(2026, 2, 1),
    [0, 294, 0],
)


@time_machine.travel(TODAY, tick=False)
def test_the_history_a_random_run_found_ages_as_the_replay(book, cashiering_system):
    check_aging_equals_replay(book, cashiering_system, FOUND_2026_11_24)


@PROPERTY_SETTINGS
@given(case=histories())
@time_machine.travel(TODAY, tick=False)
def test_aging_as_of_a_past_date_equals_the_replay_of_payments_received_by_then(
    book, cashiering_system, case
):
    check_aging_equals_replay(book, cashiering_system, case)


def check_aging_equals_replay(book, cashiering_system, case):
    term, principal, rate, payments, reverse, fee_day, checks = case
    loan = book(
        f"AG-{next(numbers):05d}",
        principal=f"{principal:.2f}",
        annual_rate=rate,
        term_months=term,
        first_due_date=FIRST_DUE,
        disbursed_on=date(2026, 1, 2),
    )
    posted = []
    for i, (day, amount) in enumerate(payments):
        try:
            posted.append(
                payment_post(
                    actor=cashiering_system,
                    loan=loan,
                    amount=amount,
                    received_on=day,
                    method="check",
                    reference=f"{loan.number}-{i}",
                ).payment
            )
        except ValidationError:
            continue  # more than the payoff: refused, as a cashier would see
    for i in reverse:
        if i < len(posted):
            payment_reverse(actor=cashiering_system, payment=posted[i], reason="nsf")
    _assess_loan(loan.pk, fee_day, cashiering_system, "test fees")
    loan.refresh_from_db()

    for offset in checks:
        as_of = FIRST_DUE + timedelta(days=offset)
        replay = engine.position(loan, as_of)
        expected = replay.days_past_due(as_of)
        if replay.paid_off_on is not None and replay.paid_off_on <= as_of:
            expected = 0
        ages = {a.loan_id: a for a in aging_selectors.aging_rows(as_of)}
        found = ages[loan.pk].days_past_due if loan.pk in ages else 0
        assert found == expected, (as_of, found, expected)


@PROPERTY_SETTINGS
@given(case=histories())
@time_machine.travel(TODAY, tick=False)
def test_every_loan_owing_a_new_late_fee_is_a_candidate(book, cashiering_system, case):
    term, principal, rate, payments, reverse, fee_day, checks = case
    loan = book(
        f"LC-{next(numbers):05d}",
        principal=f"{principal:.2f}",
        annual_rate=rate,
        term_months=term,
        first_due_date=FIRST_DUE,
        disbursed_on=date(2026, 1, 2),
    )
    for i, (day, amount) in enumerate(sorted(payments)):
        try:
            payment_post(
                actor=cashiering_system,
                loan=loan,
                amount=amount,
                received_on=day,
                method="check",
                reference=f"{loan.number}-{i}",
            )
        except ValidationError:
            continue
    # Some fees already charged at an earlier run, the rest owed now.
    _assess_loan(loan.pk, fee_day, cashiering_system, "test fees")
    loan.refresh_from_db()
    for offset in checks:
        as_of = FIRST_DUE + timedelta(days=offset)
        charged = set(
            loan.entries.filter(kind="fee_assessed", fee_kind="late").values_list(
                "installment_number", flat=True
            )
        )
        owed = [
            s
            for s in late_installments(
                loan,
                engine._payment_facts(loan),
                grace_days=loan.product.late_fee_grace_days,
                as_of=as_of,
            )
            if s.number not in charged
        ]
        candidates = aging_selectors.late_fee_candidates(as_of)
        # The late-fee job charges open loans only (a loan paid off since,
        # as when a past day is caught up after the payoff, is not charged).
        if owed and loan.status in OPEN_LOAN_STATUSES:
            assert loan.pk in candidates, (as_of, [s.number for s in owed])
