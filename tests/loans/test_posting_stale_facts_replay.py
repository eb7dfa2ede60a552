"""Posting from the stored books trusts the loan row's cached facts
(oldest unpaid due date, principal outstanding) only when they agree with the
installment rows it reads; when they don't, the payment is posted by a full
replay, which also puts the facts right."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans import engine
from loans.models import Loan
from loans.services.payments import payment_post
from tests.loans.test_posting_append_equals_replay import assert_books_equal_replay

pytestmark = pytest.mark.django_db


def post(actor, loan, amount: str, received_on: date, reference: str) -> None:
    payment_post(
        actor=actor,
        loan=loan,
        amount=Decimal(amount),
        received_on=received_on,
        method="ach",
        reference=reference,
    )


def spy_on_replays(monkeypatch) -> list[int]:
    """The loans engine.sync (the full replay) runs for, from now on."""
    replays: list[int] = []
    real_sync = engine.sync

    def sync(loan, **kwargs):
        replays.append(loan.pk)
        return real_sync(loan, **kwargs)

    monkeypatch.setattr(engine, "sync", sync)
    return replays


@time_machine.travel(date(2026, 9, 1), tick=False)
@pytest.mark.parametrize(
    "stale",
    [
        {"principal_outstanding": Decimal("9000.00")},
        {"oldest_unpaid_due": date(2026, 2, 1)},
        {"oldest_unpaid_due": None},
    ],
)
def test_a_loan_whose_cached_facts_disagree_with_its_rows_is_replayed_in_full(
    book, cashiering_system, monkeypatch, stale
):
    loan = book("L-1")
    post(cashiering_system, loan, "188.71", date(2026, 2, 1), "P-1")
    post(cashiering_system, loan, "188.71", date(2026, 3, 1), "P-2")
    Loan.objects.filter(pk=loan.pk).update(**stale)
    replays = spy_on_replays(monkeypatch)

    post(cashiering_system, loan, "100.00", date(2026, 4, 1), "P-3")

    assert replays == [loan.pk]
    assert_books_equal_replay(loan)
    loan.refresh_from_db()
    assert loan.oldest_unpaid_due == date(2026, 4, 1)


@time_machine.travel(date(2026, 9, 1), tick=False)
def test_a_loan_whose_cached_facts_agree_is_posted_without_a_replay(
    book, cashiering_system, monkeypatch
):
    loan = book("L-1")
    post(cashiering_system, loan, "188.71", date(2026, 2, 1), "P-1")
    replays = spy_on_replays(monkeypatch)

    post(cashiering_system, loan, "100.00", date(2026, 4, 1), "P-2")

    assert replays == []
    assert_books_equal_replay(loan)
