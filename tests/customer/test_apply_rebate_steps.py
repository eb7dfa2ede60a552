"""Each step of the online rebate application validates its own form: every
mistake gets its own message on its field and nothing is saved."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

import pytest
import time_machine

from portal.models import OnlineApplication
from tests.customer.rebate_apply_setup import (
    NOON,
    client_for,
    heat_program,
    linked_customer,
    measure_post,
    start,
    step_url,
    through_measures,
)
from tests.factories import ProgramFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_june_15():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def carol():
    return linked_customer("carol")


@pytest.fixture
def program():
    return heat_program()


def errors_of(response, form: str = "form") -> dict:
    assert response.status_code == 200
    return dict(response.context[form].errors)


def test_step_one_needs_a_program_and_an_account_and_saves_nothing(carol, program):
    response = client_for(carol).post(reverse("customer:apply_rebate"), {})
    assert errors_of(response) == {
        "program": ["Choose the program you are applying to."],
        "account": ["Choose the account at the address where the work was done."],
    }
    assert not OnlineApplication.objects.exists()


def test_step_one_refuses_another_customers_account_and_a_closed_program(
    carol, program
):
    closed = ProgramFactory(
        code="OLD", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    someone_elses = UtilityAccountFactory()
    response = client_for(carol).post(
        reverse("customer:apply_rebate"),
        {"program": closed.pk, "account": someone_elses.pk},
    )
    assert errors_of(response) == {
        "program": [
            "That program is not taking applications now; choose one from the list."
        ],
        "account": ["Choose one of your accounts from the list."],
    }
    assert not OnlineApplication.objects.exists()


def test_the_program_list_offers_only_open_programs_with_measures(carol, program):
    ProgramFactory(code="EMPTY", name="No measures yet")
    ProgramFactory(code="INACTIVE", name="Switched off", is_active=False)
    page = client_for(carol).get(reverse("customer:apply_rebate"))
    offered = [
        str(label) for _, label in page.context["form"].fields["program"].choices
    ]
    assert offered == ["Choose a program", "Home Heating Rebates"]


def test_a_program_code_in_the_address_preselects_it(carol, program):
    page = client_for(carol).get(reverse("customer:apply_rebate") + "?program=HEAT")
    assert page.context["form"]["program"].value() == program.pk


def test_step_two_needs_at_least_one_measure(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    response = client.post(step_url(draft, "measures"), measure_post(program))
    assert response.context["formset"].non_form_errors() == [
        "Choose at least one measure: enter the quantity you installed."
    ]
    draft.refresh_from_db()
    assert "measures" not in draft.data


def test_step_two_puts_each_mistake_on_its_field(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    response = client.post(
        step_url(draft, "measures"),
        measure_post(
            program,
            ATTIC=("lots", ""),
            HPWH=("1", ""),
            TSTAT=("0", ""),
            install_date="2026-06-16",
            contractor_name="x" * 201,
        ),
    )
    attic, hpwh, tstat = response.context["formset"].forms
    assert dict(attic.errors) == {
        "quantity": [
            "Enter the quantity of Attic insulation as a number, such as 2 or 150.5."
        ]
    }
    assert dict(hpwh.errors) == {
        "invoiced_cost": [
            "Enter the invoiced cost of Heat pump water heater: its rebate is a "
            "share of what you paid."
        ]
    }
    assert dict(tstat.errors) == {
        "quantity": ["The quantity of Smart thermostat must be more than 0."]
    }
    assert errors_of(response, "install") == {
        "install_date": [
            "The install date can't be in the future (today is June 15, 2026)."
        ],
        "contractor_name": ["Use at most 200 characters."],
    }
    draft.refresh_from_db()
    assert "measures" not in draft.data


def test_a_cost_without_a_quantity_is_refused_on_the_quantity(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    response = client.post(
        step_url(draft, "measures"),
        measure_post(program, HPWH=("", "2000.00"), TSTAT=("1", "")),
    )
    hpwh = response.context["formset"].forms[1]
    assert dict(hpwh.errors) == {
        "quantity": [
            "Enter the quantity of Heat pump water heater too, or clear its cost."
        ]
    }


def test_step_two_shows_each_measures_rebate_in_words(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    page = client.get(step_url(draft, "measures")).content.decode()
    assert "Rebate: $0.50 per sq ft." in page
    assert "Rebate: 30% of the invoiced cost, up to $600.00." in page
    assert "Rebate: $75.00. Needs: invoice." in page


def test_a_later_step_before_the_measures_are_answered_sends_back_to_them(
    carol, program
):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    for step in ("documents", "eligibility", "review"):
        response = client.get(step_url(draft, step))
        assert response["Location"] == step_url(draft, "measures")


def test_the_review_needs_the_confirmation_box(carol, program):
    client = client_for(carol)
    draft = through_measures(client, program, carol.customer.accounts.get())
    response = client.post(step_url(draft, "review"), {"action": "next"})
    assert errors_of(response) == {
        "confirm": ["Tick the box to confirm your answers before submitting."]
    }
    draft.refresh_from_db()
    assert draft.is_draft()


def test_an_unknown_step_is_not_found(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    assert client.get(step_url(draft, "payment")).status_code == 404
