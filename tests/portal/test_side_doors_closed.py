"""Core records change only through their services: customers, accounts'
billing facts, and the approval limits themselves (four-eyes on the
four-eyes limits). Each test is a side door that used to be open."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from djmoney.money import Money

from portal import roles
from portal.models import ApprovalLimit, ApprovalLimitChange
from portal.services import (
    approval_limit_change_approve,
    approval_limit_change_propose,
    approval_limit_change_reject,
    utility_account_update,
)
from tests.conftest import _user
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def _staff_loan_limit() -> Decimal:
    return ApprovalLimit.objects.get(
        group__name=roles.PROGRAM_STAFF, action="loan"
    ).max_amount.amount


def test_a_customers_sub_cent_income_is_refused_in_the_back_office(client, staff_alice):
    customer = CustomerFactory(last_name="Okafor", household_income=None)
    client.force_login(staff_alice)
    response = client.post(
        reverse("customers:edit", args=[customer.pk]),
        {
            "kind": "person",
            "first_name": "Walter",
            "last_name": "Okafor",
            "household_income_0": "52000.005",
            "household_income_1": "USD",
        },
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.household_income is None
    assert customer.first_name != "Walter"


def test_an_accounts_delinquent_balance_is_not_on_its_edit_form(client, staff_alice):
    account = UtilityAccountFactory(delinquent_balance=Money("250.00", "USD"))
    client.force_login(staff_alice)
    form = client.get(reverse("accounts:edit", args=[account.pk])).context["form"]
    assert "delinquent_balance" not in form.fields
    assert "turned_to_bad_debt" not in form.fields


def test_the_account_service_refuses_the_billing_feeds_facts(staff_alice):
    account = UtilityAccountFactory(delinquent_balance=Money("250.00", "USD"))
    with pytest.raises(ValidationError) as refused:
        utility_account_update(
            actor=staff_alice,
            account=account,
            reason="typo",
            delinquent_balance=Money("0.00", "USD"),
        )
    assert refused.value.message_dict == {
        "delinquent_balance": [
            "This comes from the billing system and can't be edited here."
        ]
    }
    account.refresh_from_db()
    assert account.delinquent_balance == Money("250.00", "USD")


def test_approval_limits_cannot_be_edited_in_the_admin(client, admin_user):
    limit = ApprovalLimit.objects.get(group__name=roles.PROGRAM_STAFF, action="loan")
    client.force_login(admin_user)
    url = reverse("approval_limits:edit", args=[limit.pk])
    client.post(
        url,
        {"group": limit.group_id, "action": "loan", "max_amount_0": "999999.00"},
    )
    assert _staff_loan_limit() == Decimal("5000.00")


def test_a_limit_change_takes_effect_only_when_a_second_person_approves(
    supervisor_bob,
):
    colleague = _user("sam", roles.SUPERVISOR)
    group = Group.objects.get(name=roles.PROGRAM_STAFF)
    change = approval_limit_change_propose(
        actor=supervisor_bob,
        group=group,
        action="loan",
        new_amount="7500.00",
        reason="Heat pump loans run larger this year.",
    )
    assert _staff_loan_limit() == Decimal("5000.00")
    assert change.previous_amount == Money("5000.00", "USD")
    with pytest.raises(ValidationError) as refused:
        approval_limit_change_approve(actor=supervisor_bob, change=change)
    assert refused.value.messages == [
        "The approver must be a different person from the one who prepared it."
    ]
    assert _staff_loan_limit() == Decimal("5000.00")
    approved = approval_limit_change_approve(actor=colleague, change=change)
    assert approved.status == "approved"
    assert _staff_loan_limit() == Decimal("7500.00")
    limit = ApprovalLimit.objects.get(group=group, action="loan")
    assert limit.history.latest().history_user == colleague


def test_someone_without_authority_over_limits_cannot_approve_a_change(
    supervisor_bob, staff_alice
):
    change = approval_limit_change_propose(
        actor=supervisor_bob,
        group=Group.objects.get(name=roles.PROGRAM_STAFF),
        action="rebate",
        new_amount="2000.00",
        reason="More rebates",
    )
    with pytest.raises(ValidationError) as refused:
        approval_limit_change_approve(actor=staff_alice, change=change)
    assert refused.value.messages == [
        "You don't have permission to approve changes to approval limits."
    ]


def test_a_rejected_change_leaves_the_limit_and_says_why(supervisor_bob):
    colleague = _user("sam", roles.SUPERVISOR)
    change = approval_limit_change_propose(
        actor=supervisor_bob,
        group=Group.objects.get(name=roles.PROGRAM_STAFF),
        action="loan",
        new_amount="90000.00",
        reason="Why not",
    )
    rejected = approval_limit_change_reject(
        actor=colleague, change=change, note="Above the supervisor's own limit."
    )
    assert (rejected.status, rejected.decision_note) == (
        "rejected",
        "Above the supervisor's own limit.",
    )
    assert _staff_loan_limit() == Decimal("5000.00")
    with pytest.raises(ValidationError, match="is rejected; it can't be approved"):
        approval_limit_change_approve(actor=colleague, change=change)


def test_a_sub_cent_limit_is_refused_when_proposed(client, supervisor_bob):
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("approval_limit_changes:add"),
        {
            "group": Group.objects.get(name=roles.PROGRAM_STAFF).pk,
            "action": "loan",
            "new_amount": "7500.005",
            "reason": "Typo",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "new_amount": [
            "Amounts are in dollars and cents: '7500.005' has more than two "
            "decimal places."
        ]
    }
    assert not ApprovalLimitChange.objects.exists()


def test_the_limit_change_pages_propose_and_approve(client, supervisor_bob):
    colleague = _user("sam", roles.SUPERVISOR)
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("approval_limit_changes:add"),
        {
            "group": Group.objects.get(name=roles.PROGRAM_STAFF).pk,
            "action": "loan",
            "new_amount": "6,000.00",
            "reason": "Larger jobs",
        },
    )
    assert response.status_code == 302
    change = ApprovalLimitChange.objects.get()
    page = client.get(reverse("approval_limit_changes:inspect", args=[change.pk]))
    assert "Approve the new limit" not in page.content.decode()
    client.force_login(colleague)
    page = client.get(reverse("approval_limit_changes:inspect", args=[change.pk]))
    assert "Approve the new limit" in page.content.decode()
    client.post(reverse("approval_limit_change_action", args=[change.pk, "approve"]))
    assert _staff_loan_limit() == Decimal("6000.00")
