"""An approved write-off is posted as one ledger entry per part of the
balance (principal, interest, fees) and brings the ledger to $0.00; the loan
becomes written off and nothing re-allocates it afterwards."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.choices import ActionType, EntryKind, LoanStatus, ReversalReason
from loans.engine import WRITTEN_OFF_CLOSED, sync
from loans.models import CollectionAction, LedgerEntry
from loans.selectors import ledger_balances
from loans.services.payments import LOAN_NOT_OPEN, payment_post, payment_reverse
from loans.services.writeoffs import (
    BALANCE_CHANGED,
    write_off_approve,
    write_off_balance,
    write_off_propose,
)
from tests.loans.recovery_helpers import make_defaulted

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 6, 10), tick=False):
        yield


def pay(loan, actor, amount, day, ref):
    return payment_post(
        actor=actor,
        loan=loan,
        amount=D(amount),
        received_on=day,
        method="check",
        reference=ref,
    ).payment


@pytest.fixture
def loan_with_a_fee(book, cashiering_system):
    """$10,000.00 at 5% for 60 months; the February payment bounced ($25.00 fee)."""
    loan = book("L-1")
    first = pay(loan, cashiering_system, "188.71", date(2026, 2, 1), "CHK-1")
    pay(loan, cashiering_system, "188.71", date(2026, 3, 1), "CHK-2")
    payment_reverse(
        actor=cashiering_system,
        payment=first,
        reason=ReversalReason.NSF,
        reversed_on=date(2026, 3, 10),
    )
    return make_defaulted(loan)


def test_the_write_off_amount_is_principal_interest_and_fees_on_the_date(
    loan_with_a_fee,
):
    parts = write_off_balance(loan_with_a_fee, date(2026, 6, 1))
    # The March payment paid February's installment (the fee came later, on
    # the day the check bounced); March to June's interest is due, unpaid.
    assert (parts.principal, parts.interest, parts.fees) == (
        D("9852.96"),
        D("160.51"),
        D("25.00"),
    )
    assert parts.total == D("10038.47")


def test_an_approved_write_off_brings_the_ledger_balance_to_exactly_zero(
    book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    with time_machine.travel(date(2026, 3, 20), tick=False):
        # A late fee on the books, unpaid.
        LedgerEntry.objects.create(
            loan=loan,
            kind=EntryKind.FEE_ASSESSED,
            fee_kind="late",
            installment_number=1,
            amount=D("25.00"),
            effective_on=date(2026, 2, 17),
        )
    proposal = write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    assert (proposal.principal, proposal.interest, proposal.fees, proposal.total) == (
        D("10000.00"),
        D("202.18"),
        D("25.00"),
        D("10227.18"),
    )
    write_off_approve(actor=supervisor_bob, write_off=proposal)

    entries = {
        e.kind: e.amount
        for e in LedgerEntry.objects.filter(loan=loan, payment__isnull=True).exclude(
            kind__in=[EntryKind.DISBURSEMENT, EntryKind.FEE_ASSESSED]
        )
    }
    assert entries == {
        EntryKind.WRITE_OFF: D("10000.00"),
        EntryKind.WRITE_OFF_INTEREST: D("202.18"),
        EntryKind.WRITE_OFF_FEES: D("25.00"),
    }
    balances = ledger_balances(loan)
    assert balances["principal"] == D("0.00")
    assert balances["fees"] == D("0.00")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert loan.written_off_on == date(2026, 6, 1)
    action = CollectionAction.objects.get(loan=loan)
    assert action.type == ActionType.WRITE_OFF
    assert action.outcome == "$10,227.18 written off as of June 1, 2026"


def test_a_written_off_loan_takes_no_payment_and_is_never_re_synced(
    loan_with_a_fee, staff_alice, supervisor_bob, cashiering_system
):
    loan = loan_with_a_fee
    proposal = write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    write_off_approve(actor=supervisor_bob, write_off=proposal)
    loan.refresh_from_db()
    before = LedgerEntry.objects.filter(loan=loan).count()

    with pytest.raises(ValidationError) as caught:
        pay(loan, cashiering_system, "100.00", date(2026, 6, 5), "CHK-9")
    assert caught.value.messages == [
        LOAN_NOT_OPEN.format(number="L-1", status="written off")
    ]
    closed = WRITTEN_OFF_CLOSED.format(number="L-1", day="June 1, 2026")
    with pytest.raises(ValidationError) as caught:
        sync(loan, actor=supervisor_bob, effective_on=date(2026, 6, 10), reason="x")
    assert caught.value.messages == [closed]
    # Reversing a payment made before the write-off would re-allocate the
    # loan: refused, and nothing changes.
    second = loan.payments.get(reference="CHK-2")
    with pytest.raises(ValidationError) as caught:
        payment_reverse(
            actor=cashiering_system, payment=second, reason=ReversalReason.NSF
        )
    assert caught.value.messages == [closed]
    assert LedgerEntry.objects.filter(loan=loan).count() == before
    assert ledger_balances(loan)["principal"] == D("0.00")


def test_a_payment_posted_after_the_proposal_makes_the_approval_refused(
    book, staff_alice, supervisor_bob, cashiering_system
):
    loan = make_defaulted(book("L-1"))
    proposal = write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    pay(loan, cashiering_system, "50.00", date(2026, 5, 30), "CHK-7")
    with pytest.raises(ValidationError) as caught:
        write_off_approve(actor=supervisor_bob, write_off=proposal)
    assert caught.value.messages == [
        BALANCE_CHANGED.format(
            number="L-1", day="June 1, 2026", now="$10,152.18", then="$10,202.18"
        )
    ]


def test_a_written_off_loan_shows_no_balance_from_its_write_off_date(
    book, staff_alice, supervisor_bob
):
    from loans.selectors import loan_summary

    loan = make_defaulted(book("L-1"))
    proposal = write_off_propose(
        actor=staff_alice, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )
    write_off_approve(actor=supervisor_bob, write_off=proposal)
    loan.refresh_from_db()
    assert loan_summary(loan, date(2026, 6, 10)).balance == {
        "principal": D("0.00"),
        "interest": D("0.00"),
        "fees": D("0.00"),
        "total": D("0.00"),
    }
    # Before the write-off date the loan owed what it owed.
    assert loan_summary(loan, date(2026, 5, 31)).balance["principal"] == D("10000.00")
