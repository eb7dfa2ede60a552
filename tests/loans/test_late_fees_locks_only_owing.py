"""The late-fee job reads its candidates in bulk and locks (and commits) only
the loans that owe a fee: its query count does not grow with the candidates
that owe nothing. A fee with no payment received since its date is charged
without a re-allocation, and the ledger still equals the engine's replay; a
payment received since the fee's date pays the fee first, as before."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from loans import aging_selectors, engine
from loans.choices import EntryKind, FeeKind
from loans.models import LedgerEntry
from loans.services import late_fees
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db
D = Decimal
AS_OF = date(2026, 3, 1)


def owing_and_quiet(book, quiet, owing_count=1):
    """L-1 (L-2, ...) owes installment 1's fee (due Feb 1, grace to Feb 16);
    the Q- loans owe nothing yet (first due on the run's day)."""
    with time_machine.travel(date(2026, 1, 2), tick=False):
        owing = [
            book(f"L-{k + 1}", account_number=f"1000{k + 1:02d}")
            for k in range(owing_count)
        ]
        others = [
            book(f"Q-{k}", first_due_date=AS_OF, account_number=f"2000{k:02d}")
            for k in range(quiet)
        ]
    return owing[0] if owing_count == 1 else owing, others


def run_counting(monkeypatch, actor, candidates):
    """Run the job over these candidates: (fees charged, statements, the
    loans it locked and judged one by one)."""
    monkeypatch.setattr(
        aging_selectors, "late_fee_candidates", lambda as_of, since=None: candidates
    )
    locked: list[int] = []
    one_loan = late_fees._assess_loan

    def spy(loan_id, *args):
        locked.append(loan_id)
        return one_loan(loan_id, *args)

    monkeypatch.setattr(late_fees, "_assess_loan", spy)
    with CaptureQueriesContext(connection) as queries:
        charged = late_fees_assess(actor=actor, as_of=AS_OF)
    return charged, len(queries.captured_queries), locked


@time_machine.travel(AS_OF, tick=False)
def test_only_the_loans_owing_a_fee_are_locked_and_the_queries_stay_the_same(
    book, cashiering_system, monkeypatch
):
    (first, second), quiet = owing_and_quiet(book, 10, owing_count=2)
    few = sorted([first.pk, *(q.pk for q in quiet[:2])])
    many = sorted([second.pk, *(q.pk for q in quiet[2:])])
    charged, few_queries, locked = run_counting(monkeypatch, cashiering_system, few)
    assert (charged, locked) == (1, [first.pk])
    charged, many_queries, locked = run_counting(monkeypatch, cashiering_system, many)
    assert (charged, locked) == (1, [second.pk])
    # 2 or 8 loans that owe nothing: the same statements.
    assert many_queries == few_queries


@time_machine.travel(AS_OF, tick=False)
def test_a_fee_with_no_payment_since_its_date_leaves_the_ledger_equal_to_the_replay(
    book, cashiering_system
):
    owing, _ = owing_and_quiet(book, 0)
    assert late_fees_assess(actor=cashiering_system, as_of=AS_OF) == 1
    entries = LedgerEntry.objects.filter(loan=owing).count()
    owing.refresh_from_db()
    engine.sync(owing, actor=cashiering_system, effective_on=AS_OF, reason="check")
    assert LedgerEntry.objects.filter(loan=owing).count() == entries
    fee = LedgerEntry.objects.get(
        loan=owing, kind=EntryKind.FEE_ASSESSED, fee_kind=FeeKind.LATE
    )
    assert (fee.installment_number, fee.amount, fee.effective_on) == (
        1,
        D("15.00"),
        date(2026, 2, 17),
    )
    assert fee.history.get().history_change_reason == (
        "Late fees assessed as of 2026-03-01"
    )


@time_machine.travel(AS_OF, tick=False)
def test_a_payment_received_after_the_fee_date_pays_the_fee_first(
    book, cashiering_system
):
    owing, _ = owing_and_quiet(book, 0)
    with time_machine.travel(date(2026, 2, 20), tick=False):
        payment_post(
            actor=cashiering_system,
            loan=owing,
            amount=D("188.71"),
            received_on=date(2026, 2, 20),
            method="check",
            reference="CHK-1",
        )
    assert late_fees_assess(actor=cashiering_system, as_of=AS_OF) == 1
    paid = LedgerEntry.objects.filter(
        loan=owing, kind=EntryKind.FEE_PAID, reverses__isnull=True
    ).values_list("amount", flat=True)
    assert list(paid) == [D("15.00")]
