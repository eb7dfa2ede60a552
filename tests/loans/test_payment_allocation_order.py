"""Payments pay fees, then interest, then principal, oldest installment first."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import EntryKind, FeeKind
from loans.models import LedgerEntry
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db
D = Decimal


def post(loan, actor, amount, received_on, reference):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=D(amount),
        received_on=received_on,
        method="check",
        reference=reference,
    )


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_fees_then_interest_then_principal_oldest_installment_first(
    book, cashiering_system
):
    loan = book("L-1")
    LedgerEntry.objects.create(
        loan=loan,
        kind=EntryKind.FEE_ASSESSED,
        fee_kind=FeeKind.LATE,
        amount=D("15.00"),
        installment_number=1,
        effective_on=date(2026, 2, 20),
    )
    # Two installments are due (Feb 1: 41.67 interest + 147.04 principal;
    # Mar 1: 41.05 + 147.66). 250.00 pays the fee, all of #1, then #2's
    # interest and part of its principal.
    posted = post(loan, cashiering_system, "250.00", date(2026, 3, 5), "P-1")
    assert posted.allocation == {
        "fees": D("15.00"),
        "interest": D("82.72"),
        "principal": D("152.28"),
        "unapplied": D("0.00"),
    }
    lines = {
        (e.kind, e.installment_number): e.amount for e in posted.payment.entries.all()
    }
    assert lines == {
        (EntryKind.FEE_PAID, 1): D("15.00"),
        (EntryKind.INTEREST_PAID, 1): D("41.67"),
        (EntryKind.PRINCIPAL_PAID, 1): D("147.04"),
        (EntryKind.INTEREST_PAID, 2): D("41.05"),
        (EntryKind.PRINCIPAL_PAID, 2): D("5.24"),
    }
    first, second = loan.installments.order_by("number")[:2]
    assert first.is_paid()
    assert (second.interest_paid, second.principal_paid) == (D("41.05"), D("5.24"))


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_partial_payment_pays_interest_before_principal(book, cashiering_system):
    loan = book("L-1")
    posted = post(loan, cashiering_system, "50.00", date(2026, 2, 1), "P-1")
    assert posted.allocation["interest"] == D("41.67")
    assert posted.allocation["principal"] == D("8.33")


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_posting_the_same_reference_twice_records_one_payment(book, cashiering_system):
    loan = book("L-1")
    first = post(loan, cashiering_system, "188.71", date(2026, 2, 1), "P-1")
    second = post(loan, cashiering_system, "188.71", date(2026, 2, 1), "P-1")
    assert (first.created, second.created) == (True, False)
    assert second.payment.pk == first.payment.pk
    assert loan.payments.count() == 1
    assert LedgerEntry.objects.filter(payment=first.payment).count() == 2


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_back_dated_payment_reallocates_later_ones_with_reversing_entries(
    book, cashiering_system
):
    from loans.selectors import ledger_balances

    loan = book("L-1")
    later = post(loan, cashiering_system, "188.71", date(2026, 3, 1), "P-MAR")
    # Posted first, it paid installment 1 (Feb) though received in March.
    post(loan, cashiering_system, "188.71", date(2026, 2, 1), "P-FEB")
    # Replayed in date order: February's payment now pays #1, March's pays #2.
    live = {
        (e.kind, e.installment_number): e.amount
        for e in later.payment.entries.filter(
            reverses__isnull=True, reversed_by__isnull=True
        )
    }
    assert live == {
        (EntryKind.INTEREST_PAID, 2): D("41.05"),
        (EntryKind.PRINCIPAL_PAID, 2): D("147.66"),
    }
    assert later.payment.entries.filter(reverses__isnull=False).count() == 2
    assert ledger_balances(loan)["principal"] == D("9705.30")
    rows = list(loan.installments.order_by("number")[:2])
    assert all(r.is_paid() for r in rows)
