"""Money received after a write-off is posted as a recovery (a payment the
cashier sees, a RECOVERY ledger line) and can never recover more than was
written off, also after a recovery is reversed."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.choices import EntryKind, PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Payment
from loans.selectors import ledger_balances
from loans.services.payments import payment_reverse
from loans.services.writeoffs import (
    OVER_RECOVERY,
    RECOVERY_BEFORE_WRITE_OFF,
    recovery_position,
    recovery_post,
    recovery_reverse,
)
from tests.loans.recovery_helpers import make_defaulted, write_off

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 7, 20), tick=False):
        yield


@pytest.fixture
def written_off(book, staff_alice, supervisor_bob):
    """L-1 written off as of June 1, 2026 for $10,202.18 (no payments)."""
    loan = make_defaulted(book("L-1"))
    write_off(loan, staff_alice, supervisor_bob)
    loan.refresh_from_db()
    return loan


def recover(loan, actor, amount, ref, day=date(2026, 7, 1)):
    return recovery_post(
        actor=actor,
        loan=loan,
        amount=amount,
        received_on=day,
        method="check",
        reference=ref,
    )


def test_a_recovery_is_a_payment_with_a_recovery_entry_and_no_allocation(
    written_off, cashier_casey
):
    schedule_before = list(Installment.objects.filter(loan=written_off).values())
    recovery = recover(written_off, cashier_casey, "500.00", "REC-1")
    payment = Payment.objects.get(reference="REC-1")
    assert recovery.payment == payment
    assert payment.status == PaymentStatus.POSTED
    assert list(payment.entries.values_list("kind", "amount")) == [
        (EntryKind.RECOVERY, D("500.00"))
    ]
    assert list(Installment.objects.filter(loan=written_off).values()) == (
        schedule_before
    )
    assert ledger_balances(written_off)["principal"] == D("0.00")
    position = recovery_position(written_off)
    assert (position.written_off, position.recovered, position.recoverable) == (
        D("10202.18"),
        D("500.00"),
        D("9702.18"),
    )


def test_recovering_more_than_was_written_off_is_refused(written_off, cashier_casey):
    recover(written_off, cashier_casey, "10000.00", "REC-1")
    with pytest.raises(ValidationError) as caught:
        recover(written_off, cashier_casey, "202.19", "REC-2")
    assert caught.value.message_dict == {
        "amount": [
            OVER_RECOVERY.format(
                amount="$202.19",
                written="$10,202.18",
                recovered="$10,000.00",
                left="$202.18",
            )
        ]
    }
    assert not Payment.objects.filter(reference="REC-2").exists()
    # Exactly what is left is accepted.
    recover(written_off, cashier_casey, "202.18", "REC-3")
    assert recovery_position(written_off).recoverable == D("0.00")


def test_a_reversed_recovery_frees_its_amount_and_the_cap_still_holds(
    written_off, cashier_casey
):
    bounced = recover(written_off, cashier_casey, "10202.18", "REC-1")
    recovery_reverse(
        actor=cashier_casey, payment=bounced.payment, reason=ReversalReason.NSF
    )
    bounced.payment.refresh_from_db()
    assert bounced.payment.status == PaymentStatus.REVERSED
    assert sorted(
        LedgerEntry.objects.filter(payment=bounced.payment).values_list(
            "amount", flat=True
        )
    ) == [D("-10202.18"), D("10202.18")]
    # No returned-payment fee on a written-off loan.
    assert ledger_balances(written_off)["fees"] == D("0.00")
    assert recovery_position(written_off).recovered == D("0.00")

    with pytest.raises(ValidationError) as caught:
        recover(written_off, cashier_casey, "10202.19", "REC-2")
    assert "at most $10,202.18 can be posted" in caught.value.messages[0]
    recover(written_off, cashier_casey, "10202.18", "REC-3")
    assert recovery_position(written_off).recoverable == D("0.00")


def test_the_cashiers_reverse_control_reverses_a_recovery_as_a_recovery(
    written_off, cashier_casey
):
    recovery = recover(written_off, cashier_casey, "300.00", "REC-1")
    payment_reverse(
        actor=cashier_casey, payment=recovery.payment, reason=ReversalReason.RETURNED
    )
    assert recovery_position(written_off).recovered == D("0.00")
    assert ledger_balances(written_off)["fees"] == D("0.00")


def test_a_recovery_reversal_needs_a_reason_from_the_list(written_off, cashier_casey):
    recovery = recover(written_off, cashier_casey, "300.00", "REC-1")
    with pytest.raises(ValidationError) as caught:
        recovery_reverse(actor=cashier_casey, payment=recovery.payment, reason="oops")
    assert list(caught.value.message_dict) == ["reason"]


def test_a_recovery_dated_before_the_write_off_is_refused(written_off, cashier_casey):
    with pytest.raises(ValidationError) as caught:
        recover(written_off, cashier_casey, "100.00", "REC-1", day=date(2026, 5, 31))
    assert caught.value.message_dict == {
        "received_on": [
            RECOVERY_BEFORE_WRITE_OFF.format(
                received="May 31, 2026", written="June 1, 2026"
            )
        ]
    }


def test_a_recovery_on_a_loan_not_written_off_is_refused(book, cashier_casey):
    loan = make_defaulted(book("L-1"))
    with pytest.raises(ValidationError) as caught:
        recover(loan, cashier_casey, "100.00", "REC-1")
    assert caught.value.messages == [
        "Loan L-1 is defaulted; a recovery is posted only for a loan that is "
        "written off."
    ]
