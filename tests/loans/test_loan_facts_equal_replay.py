"""The loan row's delinquency facts (oldest_unpaid_due, principal_outstanding)
are a cache the engine keeps with the installment rows: over a generated
portfolio, and after more postings (in order and back-dated), reversals and
late fees, they equal a fresh computation from the installments and from the
replay. The data migration fills the same values for loans that predate it."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.db import connection

import pytest
import time_machine

from loans import engine
from loans.choices import LoanStatus, PaymentStatus, ReversalReason
from loans.models import Installment, Loan, Payment
from loans.portfolio import generate_portfolio
from loans.schedule import DPD_BUCKETS, dpd_bucket
from loans.selectors import filter_by_dpd_bucket, loan_list_with_dpd
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post, payment_reverse, payoff_quote
from portal.audit import get_system_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)


def from_rows(loan: Loan) -> tuple[date | None, Decimal]:
    rows = list(Installment.objects.filter(loan=loan))
    unpaid = [r.due_date for r in rows if not r.is_paid()]
    outstanding = sum((r.principal - r.principal_paid for r in rows), Decimal("0.00"))
    return (min(unpaid) if unpaid else None), outstanding


def assert_facts_true() -> int:
    checked = 0
    for loan in Loan.objects.all():
        stored = (loan.oldest_unpaid_due, loan.principal_outstanding)
        assert stored == from_rows(loan), loan.number
        if loan.disbursed_on is not None:
            assert stored == engine.schedule_facts(engine.position(loan).states), (
                loan.number
            )
        checked += 1
    return checked


def assert_buckets_match_replay(as_of: date) -> None:
    listed = loan_list_with_dpd(as_of)
    for bucket in DPD_BUCKETS:
        expected = {
            loan.pk
            for loan in Loan.objects.filter(disbursed_on__isnull=False)
            if dpd_bucket(engine.position(loan).days_past_due(as_of)) == bucket
        }
        got = set(
            filter_by_dpd_bucket(listed, bucket, as_of)
            .filter(disbursed_on__isnull=False)
            .values_list("pk", flat=True)
        )
        assert got == expected, bucket


@time_machine.travel(TODAY, tick=False)
def test_stored_facts_equal_the_installments_and_the_replay_after_every_writer():
    actor = get_system_user()
    counts = generate_portfolio(actor=actor, loans=30, seed=7, today=TODAY)
    assert min(counts[p] for p in ("on_time", "late", "prepaid", "nsf", "defaulted"))
    assert assert_facts_true() == 30
    assert Loan.objects.filter(oldest_unpaid_due__isnull=False).exists()

    open_loans = list(Loan.objects.filter(status=LoanStatus.ACTIVE).order_by("pk")[:12])
    # In-order postings (the cached-schedule path), one a prepayment.
    for i, loan in enumerate(open_loans[:4]):
        payment_post(
            actor=actor,
            loan=loan,
            amount=min(
                loan.installment_amount * (3 if i == 0 else 1),
                payoff_quote(loan, TODAY).total,
            ),
            received_on=TODAY,
            method="ach",
            reference=f"FACTS-IN-{loan.pk}",
        )
    # Back-dated postings (the full replay path, engine.sync).
    for loan in open_loans[4:7]:
        first_payment = (
            Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
            .order_by("received_on")
            .first()
        )
        when = (
            first_payment.received_on - timedelta(days=1)
            if first_payment
            else loan.first_due_date
        )
        payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal("25.00"),
            received_on=max(when, loan.disbursed_on),
            method="check",
            reference=f"FACTS-BACK-{loan.pk}",
        )
    # Reversals, with and without a returned-payment fee.
    for loan, reason in zip(
        open_loans[7:10],
        [ReversalReason.NSF, ReversalReason.POSTING_ERROR, ReversalReason.RETURNED],
        strict=False,
    ):
        payment = (
            Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
            .order_by("received_on")
            .first()
        )
        if payment is not None:
            payment_reverse(actor=actor, payment=payment, reason=reason, note="test")
    assert assert_facts_true() == 30

    # Late fees: the job re-allocates through engine.sync.
    assert late_fees_assess(actor=actor, as_of=TODAY) > 0
    assert assert_facts_true() == 30
    assert_buckets_match_replay(TODAY)
    assert_buckets_match_replay(TODAY + timedelta(days=75))


@time_machine.travel(TODAY, tick=False)
def test_a_loan_paid_off_has_no_oldest_unpaid_due_and_no_principal(book):
    loan = book("F-1", principal="1200.00", term_months=12)
    assert (loan.oldest_unpaid_due, loan.principal_outstanding) == (
        date(2026, 2, 1),
        Decimal("1200.00"),
    )
    quote = payoff_quote(loan, TODAY)
    payment_post(
        actor=get_system_user(),
        loan=loan,
        amount=quote.total,
        received_on=TODAY,
        method="ach",
        reference="F-1-PAYOFF",
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PAID_OFF
    assert (loan.oldest_unpaid_due, loan.principal_outstanding) == (
        None,
        Decimal("0.00"),
    )
    assert loan.history.first().principal_outstanding == Decimal("0.00")


class _Editor:
    connection = connection


@time_machine.travel(TODAY, tick=False)
def test_the_data_migration_fills_the_same_facts():
    generate_portfolio(actor=get_system_user(), loans=12, seed=3, today=TODAY)
    expected = {
        loan.pk: (loan.oldest_unpaid_due, loan.principal_outstanding)
        for loan in Loan.objects.all()
    }
    # Forget the cache as a database from before the migration would have it
    # (test set-up only; the engine is the only writer).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE loans_loan SET oldest_unpaid_due = NULL, principal_outstanding = 0"
        )
    assert Loan.objects.filter(oldest_unpaid_due__isnull=False).count() == 0
    migration = importlib.import_module("loans.migrations.0006_loan_delinquency_facts")
    migration.fill_facts(django_apps, _Editor())
    assert {
        loan.pk: (loan.oldest_unpaid_due, loan.principal_outstanding)
        for loan in Loan.objects.all()
    } == expected
