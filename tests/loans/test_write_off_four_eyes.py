"""A write-off is approved by someone other than its preparer, within the
approver's write-off limit; refused otherwise, with nothing posted."""

from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

import pytest
import time_machine
from djmoney.money import Money

from loans.choices import EntryKind, LoanStatus, WriteOffStatus
from loans.models import LedgerEntry
from loans.services.writeoffs import (
    write_off_approve,
    write_off_propose,
    write_off_reject,
)
from portal import roles
from portal.controls import OVER_LIMIT
from portal.models import ApprovalLimit
from portal.transitions import SAME_PERSON
from tests.loans.recovery_helpers import make_defaulted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 6, 10), tick=False):
        yield


def propose(loan, actor):
    return write_off_propose(
        actor=actor, loan=loan, as_of=date(2026, 6, 1), reason="Uncollectable"
    )


def test_a_write_off_is_refused_to_the_person_who_proposed_it(book, supervisor_bob):
    loan = make_defaulted(book("L-1"))
    proposal = propose(loan, supervisor_bob)
    with pytest.raises(ValidationError) as caught:
        write_off_approve(actor=supervisor_bob, write_off=proposal)
    assert caught.value.messages == [SAME_PERSON]
    proposal.refresh_from_db()
    loan.refresh_from_db()
    assert proposal.status == WriteOffStatus.PROPOSED
    assert loan.status == LoanStatus.DEFAULTED
    assert not LedgerEntry.objects.filter(loan=loan, kind=EntryKind.WRITE_OFF).exists()


def test_a_write_off_above_the_approvers_limit_is_refused(
    book, staff_alice, supervisor_bob
):
    limit = ApprovalLimit.objects.get(
        group=Group.objects.get(name=roles.SUPERVISOR), action="write_off"
    )
    limit.max_amount = Money("10000.00", "USD")
    limit.save()
    loan = make_defaulted(book("L-1"))
    proposal = propose(loan, staff_alice)
    assert str(proposal.total) == "10202.18"
    with pytest.raises(ValidationError) as caught:
        write_off_approve(actor=supervisor_bob, write_off=proposal)
    assert caught.value.code == "over_limit"
    assert caught.value.messages == [
        OVER_LIMIT.format(
            amount=Money("10202.18", "USD"),
            approver="Bob",
            limit=Money("10000.00", "USD"),
            action="write-off",
        )
    ]
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DEFAULTED
    assert not LedgerEntry.objects.filter(loan=loan, kind=EntryKind.WRITE_OFF).exists()


def test_program_staff_can_propose_but_not_approve(book, staff_alice, supervisor_bob):
    loan = make_defaulted(book("L-1"))
    proposal = propose(loan, supervisor_bob)
    with pytest.raises(ValidationError) as caught:
        write_off_approve(actor=staff_alice, write_off=proposal)
    assert caught.value.messages == ["You don't have permission to approve write-offs."]


def test_an_active_loan_is_not_written_off(book, staff_alice):
    loan = book("L-1")
    with pytest.raises(ValidationError) as caught:
        propose(loan, staff_alice)
    assert caught.value.messages == [
        "Loan L-1 is active; a write-off is proposed only for a loan that is "
        "defaulted or matured with a balance."
    ]


def test_a_second_proposal_waits_for_the_first_and_a_rejected_one_frees_the_loan(
    book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    first = propose(loan, staff_alice)
    with pytest.raises(ValidationError) as caught:
        propose(loan, staff_alice)
    assert caught.value.messages == [
        "Loan L-1 already has a write-off waiting for approval."
    ]
    write_off_reject(actor=supervisor_bob, write_off=first, reason="Try the agency")
    assert propose(loan, staff_alice).status == WriteOffStatus.PROPOSED
