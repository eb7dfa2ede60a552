"""A program's budget changes only through program_budget_change: under the
program's lock, never below what is committed (approved or paid), with the
reason in its history. In the back office it is the "Change budget" page;
the program's edit form has no budget."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from djmoney.money import Money

from programs import services as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed_600(apply, staff_alice, supervisor_bob):
    """REE ($1,000.00): $300.00 approved and $300.00 paid."""
    apps = [
        svc.rebate_approve(
            actor=supervisor_bob,
            application=svc.rebate_start_review(actor=staff_alice, application=apply()),
        )
        for _ in range(2)
    ]
    svc.rebate_checks_issue(
        actor=staff_alice,
        applications=apps[:1],
        first_check_number=7001,
        paid_on=date(2026, 4, 1),
    )


def change(program, actor, budget, reason="Council amended the budget"):
    return svc.program_budget_change(
        actor=actor, program=program, budget=budget, reason=reason
    )


def test_a_budget_change_is_saved_with_its_reason(program, supervisor_bob):
    program = change(program, supervisor_bob, Decimal("1500.00"))
    program.refresh_from_db()
    assert program.budget == Money("1500.00", "USD")
    latest = program.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        supervisor_bob,
        "Budget changed from $1,000.00 to $1,500.00: Council amended the budget",
    )


def test_a_budget_below_what_is_committed_is_refused_naming_both_amounts(
    program, committed_600, supervisor_bob
):
    with pytest.raises(ValidationError) as caught:
        change(program, supervisor_bob, Decimal("599.99"))
    assert caught.value.message_dict == {
        "budget": [
            "REE's budget can't be $599.99: $600.00 of it is already committed "
            "(approved or paid)."
        ]
    }
    program.refresh_from_db()
    assert program.budget == Money("1000.00", "USD")


def test_the_budget_may_come_down_to_exactly_what_is_committed(
    program, committed_600, supervisor_bob
):
    assert change(program, supervisor_bob, Decimal("600.00")).budget == Money(
        "600.00", "USD"
    )


@pytest.mark.parametrize(
    ("budget", "reason", "errors"),
    [
        (
            Decimal("1000.00"),
            "No change",
            {"budget": ["The budget is already $1,000.00."]},
        ),
        (Decimal("-1.00"), "Cut", {"budget": ["The amount can't be negative."]}),
        (
            Decimal("1200.001"),
            "More",
            {
                "budget": [
                    "Amounts are in dollars and cents: 1200.001 has more than two "
                    "decimal places."
                ]
            },
        ),
        (Decimal("1200.00"), "  ", {"reason": ["Say why the budget changes."]}),
    ],
)
def test_a_bad_budget_change_is_refused_on_its_field(
    program, supervisor_bob, budget, reason, errors
):
    with pytest.raises(ValidationError) as caught:
        change(program, supervisor_bob, budget, reason)
    assert caught.value.message_dict == errors


def test_only_those_who_may_change_programs_change_budgets(program, staff_alice):
    with pytest.raises(ValidationError) as caught:
        change(program, staff_alice, Decimal("2000.00"))
    assert caught.value.messages == [
        "You don't have permission to change program budgets."
    ]


# --- in the back office -------------------------------------------------------


def test_the_change_budget_page_changes_the_budget(
    client, post_for_messages, program, supervisor_bob
):
    client.force_login(supervisor_bob)
    url = reverse("program_change_budget", args=[program.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Budget $1,000.00 · committed (approved or paid) $0.00" in (
        page.content.decode()
    )
    response, shown = post_for_messages(
        url, {"budget": "1,250.50", "reason": "Mid-year top-up"}
    )
    assert response["Location"] == reverse("programs:index")
    assert shown == ["REE: budget changed from $1,000.00 to $1,250.50."]
    program.refresh_from_db()
    assert program.budget == Money("1250.50", "USD")


def test_the_change_budget_page_shows_a_refusal_on_the_field(
    client, program, committed_600, supervisor_bob
):
    client.force_login(supervisor_bob)
    url = reverse("program_change_budget", args=[program.pk])
    response = client.post(url, {"budget": "500", "reason": "Cut"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "budget": [
            "REE's budget can't be $500.00: $600.00 of it is already committed "
            "(approved or paid)."
        ]
    }
    response = client.post(url, {"budget": "500.005", "reason": "Cut"})
    assert response.context["form"].errors == {
        "budget": [
            "Amounts are in dollars and cents: '500.005' has more than two "
            "decimal places."
        ]
    }
    program.refresh_from_db()
    assert program.budget == Money("1000.00", "USD")


def test_the_change_budget_page_refuses_those_without_permission(
    client, post_for_messages, program, staff_alice
):
    client.force_login(staff_alice)
    response, shown = post_for_messages(
        reverse("program_change_budget", args=[program.pk]),
        {"budget": "5000", "reason": "More"},
    )
    assert response["Location"] == reverse("programs:index")
    assert shown == ["You don't have permission to change program budgets."]
    program.refresh_from_db()
    assert program.budget == Money("1000.00", "USD")


def test_the_program_edit_form_has_no_budget_and_links_to_change_budget(
    client, program, supervisor_bob
):
    client.force_login(supervisor_bob)
    url = reverse("programs:edit", args=[program.pk])
    page = client.get(url)
    assert "budget" not in page.context["form"].fields
    assert reverse("program_change_budget", args=[program.pk]) in page.content.decode()
    response = client.post(
        url,
        {
            "code": "REE",
            "name": "Residential Energy Efficiency",
            "program_type": "rebate",
            "fiscal_year": "2026",
            "budget": "999999.00",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "customer_classes": '["residential"]',
            "required_services": "[]",
            "requires_good_standing": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    program.refresh_from_db()
    assert (program.name, program.budget) == (
        "Residential Energy Efficiency",
        Money("1000.00", "USD"),
    )


def test_program_rules_the_engine_cannot_apply_are_refused_on_the_edit_form(
    client, program, supervisor_bob
):
    client.force_login(supervisor_bob)
    response = client.post(
        reverse("programs:edit", args=[program.pk]),
        {
            "code": "REE",
            "name": "REE",
            "program_type": "rebate",
            "fiscal_year": "2026",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "customer_classes": '["industrial"]',
            "required_services": "[]",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": [
            "Unknown customer class(es): industrial; expected commercial, residential."
        ]
    }
