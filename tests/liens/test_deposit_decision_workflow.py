"""New service with old debt: a deposit decision proposed by staff and
approved by a supervisor (four-eyes, within the deposit limit), or rejected."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from liens.models import DepositDecision
from liens.services.decisions import (
    deposit_decision_approve,
    deposit_decision_propose,
    deposit_decision_reject,
)
from portal.models import ApprovalLimit
from portal.transitions import TransitionRefused
from tests.factories.liens_adequacy import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing(db):
    return account("300001", delinquent_balance=Decimal("412.37"))


def _propose(actor, acct, amount="250.00", kind="cash"):
    return deposit_decision_propose(
        actor=actor,
        account=acct,
        deposit_required=amount,
        instrument_type=kind,
        note="Moving to 5 Oak St",
    )


def test_staff_proposes_with_the_delinquent_amount_recorded(staff_alice, owing):
    decision = _propose(staff_alice, owing)
    assert decision.status == "proposed"
    assert decision.customer == owing.customer
    assert decision.delinquent_amount.amount == Decimal("412.37")
    assert decision.deposit_required.amount == Decimal("250.00")
    assert decision.prepared_by == staff_alice
    assert decision.history.order_by("-history_id").first().history_change_reason == (
        "Deposit of $250.00 proposed for account 300001 (delinquent bill $412.37)"
    )


def test_supervisor_approves_another_persons_proposal(
    staff_alice, supervisor_bob, owing
):
    decision = deposit_decision_approve(
        actor=supervisor_bob, decision=_propose(staff_alice, owing)
    )
    assert (decision.status, decision.decided_by) == ("approved", supervisor_bob)
    assert decision.decided_at is not None


def test_approver_who_prepared_it_is_refused(supervisor_bob, owing):
    decision = _propose(supervisor_bob, owing)
    with pytest.raises(TransitionRefused, match="different person"):
        deposit_decision_approve(actor=supervisor_bob, decision=decision)
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_over_the_approvers_limit_is_refused(staff_alice, supervisor_bob, owing):
    limit = ApprovalLimit.objects.get(group__name="Supervisor", action="deposit")
    assert limit.max_amount.amount == Decimal("25000.00")
    decision = _propose(staff_alice, owing, amount="25000.01")
    with pytest.raises(ValidationError) as exc:
        deposit_decision_approve(actor=supervisor_bob, decision=decision)
    assert exc.value.messages == [
        "$25,000.01 is above Bob's approval limit of $25,000.00 for a deposit decision."
    ]
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_staff_cannot_approve(staff_alice, supervisor_bob, owing):
    decision = _propose(supervisor_bob, owing)
    with pytest.raises(TransitionRefused, match="permission to approve or reject"):
        deposit_decision_approve(actor=staff_alice, decision=decision)


def test_bad_debt_account_is_refused_with_a_clear_message(staff_alice):
    acct = account(
        "300002", delinquent_balance=Decimal("90.00"), turned_to_bad_debt=True
    )
    with pytest.raises(ValidationError) as exc:
        _propose(staff_alice, acct)
    assert exc.value.message_dict["account"] == [
        "Account 300002's delinquent bill has been turned over to bad debt; a "
        "deposit decision is only for debt not yet turned over. Refer it to "
        "collections."
    ]
    assert DepositDecision.objects.count() == 0


def test_account_owing_nothing_needs_no_decision(staff_alice):
    with pytest.raises(ValidationError, match="owes no delinquent bill"):
        _propose(staff_alice, account("300003"))


@pytest.mark.parametrize(
    ("amount", "kind", "errors"),
    [
        (
            "0.00",
            "cash",
            {"deposit_required": ["The deposit required must be more than $0.00."]},
        ),
        (
            "10.005",
            "cash",
            {
                "deposit_required": [
                    "Amounts are in dollars and cents: '10.005' has more than two decimal places."
                ]
            },
        ),
        (
            "",
            "gold",
            {
                "deposit_required": ["Enter the deposit amount required."],
                "instrument_type": ["Choose the kind of instrument required."],
            },
        ),
    ],
)
def test_bad_input_is_refused_on_its_field(staff_alice, owing, amount, kind, errors):
    with pytest.raises(ValidationError) as exc:
        _propose(staff_alice, owing, amount=amount, kind=kind)
    assert exc.value.message_dict == errors
    assert DepositDecision.objects.count() == 0


def test_second_open_decision_for_the_account_is_refused(staff_alice, owing):
    _propose(staff_alice, owing)
    with pytest.raises(ValidationError, match="already has a deposit decision"):
        _propose(staff_alice, owing)


def test_reject_needs_a_reason_and_closes_the_decision(
    staff_alice, supervisor_bob, owing
):
    decision = _propose(staff_alice, owing)
    with pytest.raises(ValidationError, match="Give the reason"):
        deposit_decision_reject(actor=supervisor_bob, decision=decision, reason=" ")
    decision = deposit_decision_reject(
        actor=supervisor_bob, decision=decision, reason="Pays the old bill instead"
    )
    assert (decision.status, decision.rejection_reason) == (
        "rejected",
        "Pays the old bill instead",
    )
    with pytest.raises(TransitionRefused, match="rejected; it can't be approved"):
        deposit_decision_approve(actor=supervisor_bob, decision=decision)
