"""Approving an arrangement: its preparer alone only within their own limit;
above it a second person within theirs (four-eyes)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

import pytest
import time_machine
from djmoney.money import Money

from loans.choices import ArrangementStatus
from loans.services.arrangements import (
    arrangement_approve,
    arrangement_cancel,
    arrangement_propose,
)
from portal import roles
from portal.models import ApprovalLimit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 15)


def propose(actor, loan):
    with time_machine.travel(TODAY, tick=False):
        return arrangement_propose(
            actor=actor,
            loan=loan,
            months=6,
            first_due_date=date(2026, 5, 1),
            channel="phone",
        )


def approve(actor, arrangement):
    with time_machine.travel(TODAY, tick=False):
        return arrangement_approve(actor=actor, arrangement=arrangement)


@pytest.fixture
def small(book):
    """$566.13 past due: within program staff's own limit of $1,500.00."""
    return book("L-1")


@pytest.fixture
def large(book):
    """Three missed installments of a $100,000.00 loan: above program staff's
    limit, within a supervisor's."""
    return book(
        "L-BIG",
        principal="100000.00",
        term_months=60,
        account_number="100009",
    )


@pytest.fixture
def staff_erin(db):
    user = UserFactory(username="erin", first_name="Erin")
    user.groups.add(Group.objects.get(name=roles.PROGRAM_STAFF))
    return user


def test_a_preparer_may_approve_their_own_within_their_own_limit(small, staff_alice):
    arrangement = propose(staff_alice, small)
    assert arrangement.past_due_amount == Decimal("566.13")
    approved = approve(staff_alice, arrangement)
    assert approved.status == ArrangementStatus.ACTIVE
    assert approved.approved_by == staff_alice


def test_above_their_own_limit_the_preparer_is_refused(large, staff_alice):
    arrangement = propose(staff_alice, large)
    assert arrangement.past_due_amount > Decimal("1500.00")
    with pytest.raises(ValidationError) as refused:
        approve(staff_alice, arrangement)
    assert "above your own limit for a payment arrangement ($1,500.00)" in str(
        refused.value
    )
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.PROPOSED


def test_a_second_person_over_their_limit_is_refused(large, staff_alice, staff_erin):
    arrangement = propose(staff_alice, large)
    with pytest.raises(ValidationError) as refused:
        approve(staff_erin, arrangement)
    assert "above Erin" in str(refused.value)
    assert "approval limit of $1,500.00" in str(refused.value)
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.PROPOSED


def test_a_supervisor_within_limit_approves_it(large, staff_alice, supervisor_bob):
    approved = approve(supervisor_bob, propose(staff_alice, large))
    assert approved.status == ArrangementStatus.ACTIVE
    assert approved.approved_by == supervisor_bob


def test_a_supervisor_over_their_limit_is_refused(large, staff_alice, supervisor_bob):
    limit = ApprovalLimit.objects.get(
        group__name=roles.SUPERVISOR, action="arrangement"
    )
    limit.max_amount = Money("1000.00", "USD")
    limit.save()
    with pytest.raises(ValidationError, match="above Bob's approval limit"):
        approve(supervisor_bob, propose(staff_alice, large))


def test_an_approved_arrangement_is_not_approved_again(
    small, staff_alice, supervisor_bob
):
    arrangement = approve(supervisor_bob, propose(staff_alice, small))
    with pytest.raises(ValidationError, match="is active; it can't be approved"):
        approve(supervisor_bob, arrangement)


def test_a_cashier_may_not_approve(small, staff_alice, cashier_casey):
    with pytest.raises(ValidationError, match="permission to approve payment"):
        approve(cashier_casey, propose(staff_alice, small))


def test_cancelling_needs_a_reason_and_frees_the_loan_for_a_new_one(small, staff_alice):
    arrangement = propose(staff_alice, small)
    with pytest.raises(ValidationError, match="Say why"):
        arrangement_cancel(actor=staff_alice, arrangement=arrangement, reason=" ")
    with pytest.raises(ValidationError, match="already has arrangement"):
        propose(staff_alice, small)
    cancelled = arrangement_cancel(
        actor=staff_alice, arrangement=arrangement, reason="Customer changed plans"
    )
    assert cancelled.status == ArrangementStatus.CANCELLED
    assert propose(staff_alice, small).status == ArrangementStatus.PROPOSED
