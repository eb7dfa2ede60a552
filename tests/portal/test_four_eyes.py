from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from portal import controls, roles
from portal.controls import approval_limit_for, four_eyes_check
from portal.services import (
    approval_limit_change_approve,
    approval_limit_change_propose,
)

pytestmark = pytest.mark.django_db


def test_the_preparer_cannot_approve_their_own_work(supervisor_bob):
    with pytest.raises(ValidationError) as caught:
        four_eyes_check(
            action="loan",
            preparer=supervisor_bob,
            approver=supervisor_bob,
            amount=Decimal("100.00"),
        )
    assert caught.value.messages == [controls.SAME_PERSON]
    assert caught.value.code == "same_person"


def test_an_amount_above_the_approvers_limit_is_refused(staff_alice, supervisor_bob):
    # Program staff may approve loans up to $5,000.00 by default.
    with pytest.raises(ValidationError) as caught:
        four_eyes_check(
            action="loan",
            preparer=supervisor_bob,
            approver=staff_alice,
            amount=Decimal("5000.01"),
        )
    assert caught.value.code == "over_limit"
    assert (
        "$5,000.01 is above Alice's approval limit of $5,000.00"
        in (caught.value.messages[0])
    )


def test_an_amount_exactly_at_the_limit_is_accepted(staff_alice, supervisor_bob):
    allowed_by = four_eyes_check(
        action="loan",
        preparer=supervisor_bob,
        approver=staff_alice,
        amount=Money("5000.00", "USD"),
    )
    assert allowed_by == Money("5000.00", "USD")
    with pytest.raises(ValidationError, match="above Alice's approval limit"):
        four_eyes_check(
            action="loan",
            preparer=supervisor_bob,
            approver=staff_alice,
            amount=Money("5000.01", "USD"),
        )


def test_a_different_approver_within_limit_is_accepted(staff_alice, supervisor_bob):
    allowed_by = four_eyes_check(
        action="loan",
        preparer=staff_alice,
        approver=supervisor_bob,
        amount=Decimal("25000.00"),
    )
    assert allowed_by == Money("50000.00", "USD")


def test_a_role_without_a_limit_for_the_action_has_no_authority(
    staff_alice, outsider_dave
):
    with pytest.raises(ValidationError) as caught:
        four_eyes_check(
            action="write_off",
            preparer=outsider_dave,
            approver=staff_alice,
            amount=Decimal("1.00"),
        )
    assert caught.value.code == "no_authority"


def test_limits_are_data_raised_by_an_approved_change(staff_alice, supervisor_bob):
    from tests.conftest import _user

    change = approval_limit_change_propose(
        actor=supervisor_bob,
        group=Group.objects.get(name=roles.PROGRAM_STAFF),
        action="loan",
        new_amount="7500.00",
        reason="Larger jobs",
    )
    approval_limit_change_approve(actor=_user("sam", roles.SUPERVISOR), change=change)
    allowed_by = four_eyes_check(
        action="loan",
        preparer=supervisor_bob,
        approver=staff_alice,
        amount=Decimal("7500.00"),
    )
    assert allowed_by == Money("7500.00", "USD")


def test_the_highest_limit_of_a_users_roles_applies(staff_alice):
    staff_alice.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    assert approval_limit_for(staff_alice, "loan") == Money("50000.00", "USD")


def test_an_inactive_user_has_no_authority(staff_alice, supervisor_bob):
    supervisor_bob.is_active = False
    supervisor_bob.save()
    with pytest.raises(ValidationError) as caught:
        four_eyes_check(
            action="loan",
            preparer=staff_alice,
            approver=supervisor_bob,
            amount=Decimal("1.00"),
        )
    assert caught.value.code == "no_authority"
