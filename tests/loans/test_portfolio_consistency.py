"""A generated portfolio is what the services would have left: for every
loan, the installment rows, the loan's facts and the ledger equal the engine's
replay, `engine.sync` finds nothing to write, and the late-fee job, run for
the date fees were charged through, charges nothing more. All five payment
patterns occur, and a second run with more loans adds only the missing ones."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management import call_command

import pytest
import time_machine

from loans import engine
from loans.choices import EntryKind, FeeKind, LoanStatus, PaymentStatus
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.portfolio import PATTERNS, generate_portfolio
from loans.portfolio.verify import verify_loans
from loans.services.late_fees import late_fees_assess
from portal.audit import get_system_user
from portal.models import Customer

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)
THROUGH = TODAY - timedelta(days=1)


@pytest.fixture
def portfolio():
    with time_machine.travel(TODAY, tick=False):
        counts = generate_portfolio(
            actor=get_system_user(),
            loans=60,
            seed=5,
            today=TODAY,
            late_fees_through=THROUGH,
            chunk_size=25,
        )
        yield counts


def test_every_generated_loan_equals_the_engines_replay_and_sync_writes_nothing(
    portfolio,
):
    ids = list(Loan.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 60
    with time_machine.travel(TODAY, tick=False):
        assert (
            verify_loans(ids, late_fees_through=THROUGH, actor=get_system_user()) == []
        )


def test_the_late_fee_job_finds_nothing_left_to_charge(portfolio):
    assert LedgerEntry.objects.filter(fee_kind=FeeKind.LATE).exists()
    with time_machine.travel(TODAY, tick=False):
        assert late_fees_assess(actor=get_system_user(), as_of=THROUGH) == 0


def test_all_five_patterns_occur_with_their_traces(portfolio):
    assert min(portfolio[p] for p in PATTERNS) > 0
    assert portfolio["loans"] == 60
    assert portfolio["payments"] == Payment.objects.count() > 60 * 10
    assert (
        Payment.objects.filter(status=PaymentStatus.REVERSED).count()
        == (portfolio["nsf"])
    )
    # A returned check: its allocation reversed, the returned-payment fee charged.
    assert LedgerEntry.objects.filter(reverses__isnull=False).exists()
    assert (
        LedgerEntry.objects.filter(fee_kind=FeeKind.RETURNED_PAYMENT).count()
        == (portfolio["nsf"])
    )
    assert LedgerEntry.objects.filter(kind=EntryKind.PREPAYMENT).exists()
    assert Loan.objects.filter(status=LoanStatus.PAID_OFF).exists()
    # Stopped paying: an installment unpaid for more than 120 days.
    assert Loan.objects.filter(oldest_unpaid_due__lt=TODAY - timedelta(days=120))
    assert not LedgerEntry.objects.filter(kind=EntryKind.UNAPPLIED).exists()


def test_the_rows_are_the_engines_for_one_loan_in_detail(portfolio):
    loan = Loan.objects.filter(payments__status=PaymentStatus.REVERSED).first()
    replay = engine.position(loan)
    rows = Installment.objects.filter(loan=loan).order_by("number")
    assert [(r.number, r.principal_paid, r.interest_paid) for r in rows] == [
        (s.number, s.principal_paid, s.interest_paid) for s in replay.states
    ]
    assert loan.customer.accounts.get() == loan.account
    assert loan.parcel is not None and loan.account.service_property == loan.parcel
    assert loan.history.get().history_type == "+"
    assert "seed 5" in loan.history.get().history_change_reason


def test_a_larger_run_with_the_same_seed_adds_only_the_missing_loans(portfolio):
    before = {
        loan.number: (loan.principal, loan.principal_outstanding)
        for loan in Loan.objects.all()
    }
    with time_machine.travel(TODAY, tick=False):
        counts = generate_portfolio(
            actor=get_system_user(),
            loans=70,
            seed=5,
            today=TODAY,
            late_fees_through=THROUGH,
        )
    assert counts["loans"] == 10
    assert Loan.objects.count() == 70 == Customer.objects.count()
    after = {
        loan.number: (loan.principal, loan.principal_outstanding)
        for loan in Loan.objects.all()
    }
    assert {k: after[k] for k in before} == before


def test_the_same_seed_makes_the_same_loans_whatever_the_chunks(portfolio):
    first = sorted(
        Payment.objects.values_list("reference", "amount", "received_on", "status")
    )
    Payment.objects.all()  # the first portfolio stays; a second seed-5 run adds none
    with time_machine.travel(TODAY, tick=False):
        counts = generate_portfolio(
            actor=get_system_user(), loans=60, seed=5, today=TODAY, chunk_size=7
        )
    assert counts["loans"] == 0
    assert (
        sorted(
            Payment.objects.values_list("reference", "amount", "received_on", "status")
        )
        == first
    )


def test_the_command_generates_and_verifies_a_sample(capsys):
    with time_machine.travel(TODAY, tick=False):
        call_command(
            "generate_portfolio", "--loans", "15", "--seed", "9", "--verify", "8"
        )
    out = capsys.readouterr().out
    assert "Added 15 loans" in out
    assert "Verified 8 loans" in out
