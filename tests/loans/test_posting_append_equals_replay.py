"""A payment received on or after every posted one is allocated from the
stored books (the installments it can reach, the loan row's facts, the unpaid
fees), not by replaying the loan's history; what it stores is exactly what a
full replay of the same facts gives. Random sequences of appended payments
(partial, about an installment, prepayments that re-amortize, payoff, an
overpayment refused), with late fees and returned payments between them (which
replay in full), leave the ledger, the installment rows and the loan row equal
to the replay after every step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.core.exceptions import ValidationError
from django.db import transaction

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans import engine
from loans.choices import LoanStatus, PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post, payment_reverse, payoff_quote

pytestmark = pytest.mark.django_db

TODAY = date(2030, 1, 1)
DISBURSED = date(2026, 1, 1)
ZERO = Decimal("0.00")
numbers = count(1)


def assert_books_equal_replay(loan: Loan) -> None:
    """Ledger, installment rows and the loan row equal a full replay."""
    loan.refresh_from_db()
    result = engine.position(loan)
    rows = sorted(
        (
            r.number,
            r.due_date,
            r.principal,
            r.interest,
            r.principal_paid,
            r.interest_paid,
        )
        for r in Installment.objects.filter(loan=loan)
    )
    states = sorted(
        (
            s.number,
            s.due_date,
            s.principal_due,
            s.interest_due,
            s.principal_paid,
            s.interest_paid,
        )
        for s in result.states
    )
    assert rows == states
    posted, _ = engine._posted_allocations(LedgerEntry.objects.filter(loan=loan))
    assert {k: v for k, v in posted.items() if v} == result.allocations
    assert (loan.oldest_unpaid_due, loan.principal_outstanding) == (
        engine.schedule_facts(result.states)
    )
    assert loan.paid_off_on == result.paid_off_on
    assert (loan.status == LoanStatus.PAID_OFF) == (result.paid_off_on is not None)


cents = st.integers(min_value=1, max_value=99).map(lambda c: Decimal(c) / 100)
payment_kinds = st.sampled_from(["small", "installment", "large", "payoff", "over"])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 75), payment_kinds, cents),
        st.tuples(st.just("late_fees"), st.integers(0, 75), st.just(""), cents),
        st.tuples(st.just("return_last"), st.integers(0, 20), st.just(""), cents),
    ),
    min_size=1,
    max_size=10,
)


@time_machine.travel(TODAY, tick=False)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    principal=st.integers(1_000, 20_000),
    rate=st.integers(0, 1800).map(lambda r: Decimal(r) / 100),
    term=st.integers(3, 36),
    steps=steps,
)
def test_appended_payments_store_what_a_full_replay_gives(
    book, cashiering_system, monkeypatch, principal, rate, term, steps
):
    replays: list[int] = []
    real_sync = engine.sync

    def counted_sync(loan, **kwargs):
        replays.append(loan.pk)
        return real_sync(loan, **kwargs)

    monkeypatch.setattr(engine, "sync", counted_sync)
    # Each example's rows roll back, so examples don't see each other's loans.
    with transaction.atomic():
        n = next(numbers)
        loan = book(
            f"H-{n}",
            principal=f"{principal}.00",
            annual_rate=str(rate),
            term_months=term,
            account_number=f"7{n:05d}",
        )
        day = DISBURSED
        for action, days, kind, extra in steps:
            day = min(day + timedelta(days=days), TODAY)
            loan.refresh_from_db()
            if action == "late_fees":
                late_fees_assess(actor=cashiering_system, as_of=day)
            elif action == "return_last":
                last = (
                    Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
                    .order_by("-received_on", "-pk")
                    .first()
                )
                if last is not None:
                    payment_reverse(
                        actor=cashiering_system,
                        payment=last,
                        reason=ReversalReason.NSF,
                        reversed_on=max(day, last.received_on),
                    )
            elif loan.status != LoanStatus.PAID_OFF:
                payoff = payoff_quote(loan, day).total
                amount = {
                    "small": extra * 10,
                    "installment": loan.installment_amount + extra - Decimal("0.50"),
                    "large": loan.installment_amount * 3 + extra,
                    "payoff": payoff,
                    "over": payoff + extra,
                }[kind]
                amount = min(amount, payoff) if kind != "over" else amount
                replays.clear()
                posted_before = Payment.objects.filter(loan=loan).count()
                post = {
                    "actor": cashiering_system,
                    "loan": loan,
                    "amount": amount,
                    "received_on": day,
                    "method": "ach",
                    "reference": f"H-{n}-{posted_before}",
                }
                if kind == "over":
                    with pytest.raises(ValidationError, match="more than the payoff"):
                        payment_post(**post)
                    assert Payment.objects.filter(loan=loan).count() == posted_before
                else:
                    payment_post(**post)
                    # Appended: allocated from the stored books, no replay.
                    assert replays == []
            assert_books_equal_replay(loan)
        transaction.set_rollback(True)
