"""A returned check reverses the payment's allocations with reversing entries,
adds the product's returned-payment fee and lands in the bad-check ledger."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.choices import EntryKind, PaymentStatus, ReversalReason
from loans.models import LedgerEntry
from loans.selectors import bad_check_ledger, ledger_balances, loan_summary
from loans.services.payments import payment_post, payment_reverse

pytestmark = pytest.mark.django_db
D = Decimal


def pay(loan, actor, amount, day, ref):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=D(amount),
        received_on=day,
        method="check",
        reference=ref,
    ).payment


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_an_nsf_check_is_reversed_charged_and_listed_as_a_bad_check(
    book, cashiering_system
):
    loan = book("L-1")
    payment = pay(loan, cashiering_system, "188.71", date(2026, 2, 1), "CHK-1")
    payment_reverse(
        actor=cashiering_system,
        payment=payment,
        reason=ReversalReason.NSF,
        note="Bank returned: NSF",
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REVERSED
    reversals = LedgerEntry.objects.filter(payment=payment, reverses__isnull=False)
    assert sorted(e.amount for e in reversals) == [D("-147.04"), D("-41.67")]
    assert ledger_balances(loan)["principal"] == D("10000.00")
    assert ledger_balances(loan)["fees"] == D("25.00")
    assert list(bad_check_ledger()) == [payment]
    summary = loan_summary(loan, date(2026, 3, 10))
    assert summary.days_past_due == 37
    assert summary.balance["fees"] == D("25.00")


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_a_posting_error_reversal_adds_no_fee_and_is_not_a_bad_check(
    book, cashiering_system
):
    loan = book("L-1")
    payment = pay(loan, cashiering_system, "188.71", date(2026, 2, 1), "CHK-1")
    payment_reverse(
        actor=cashiering_system, payment=payment, reason=ReversalReason.POSTING_ERROR
    )
    assert ledger_balances(loan)["fees"] == D("0.00")
    assert list(bad_check_ledger()) == []


@time_machine.travel(date(2026, 6, 10), tick=False)
def test_reversing_a_prepayment_restores_the_schedule_and_reallocates_later_payments(
    book, cashiering_system
):
    loan = book("L-1")
    prepay = pay(loan, cashiering_system, "2188.71", date(2026, 2, 1), "P-1")
    later = pay(loan, cashiering_system, "188.71", date(2026, 3, 1), "P-2")
    payment_reverse(
        actor=cashiering_system, payment=prepay, reason=ReversalReason.RETURNED
    )
    assert loan.installments.count() == 60
    # P-2 now pays the fee-free oldest installment (#1), not #2.
    live = {
        (e.kind, e.installment_number): e.amount
        for e in later.entries.all()
        if e.reverses_id is None and not hasattr(e, "reversed_by")
    }
    assert live == {
        (EntryKind.INTEREST_PAID, 1): D("41.67"),
        (EntryKind.PRINCIPAL_PAID, 1): D("147.04"),
    }
    assert ledger_balances(loan)["principal"] == D("9852.96")


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_a_payment_cannot_be_reversed_twice(book, cashiering_system):
    from django.core.exceptions import ValidationError

    loan = book("L-1")
    payment = pay(loan, cashiering_system, "188.71", date(2026, 2, 1), "CHK-1")
    payment_reverse(actor=cashiering_system, payment=payment, reason="nsf")
    with pytest.raises(ValidationError, match="already reversed"):
        payment_reverse(actor=cashiering_system, payment=payment, reason="nsf")
    assert ledger_balances(loan)["fees"] == D("25.00")
