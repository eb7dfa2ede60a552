"""An online rebate application is a draft saved at every step: the customer
can leave and, in a new session, continue where they left off with their
answers (and uploaded files) in place. Drafts are the customer's own and a
submitted one can't be changed."""

from __future__ import annotations

from django.contrib.messages import get_messages
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
    upload_invoice,
)

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


def resume(user, draft):
    """Open the draft's link in a new session; where it leads."""
    response = client_for(user).get(
        reverse("customer:apply_rebate_resume", args=[draft.pk])
    )
    assert response.status_code == 302
    return response["Location"]


def test_every_step_saves_and_a_new_session_continues_at_the_next_one(carol, program):
    account = carol.customer.accounts.get()
    client = client_for(carol)

    draft = start(client, program, account)
    assert (draft.step, draft.data) == (
        "program",
        {"program": {"program": str(program.pk), "account": str(account.pk)}},
    )
    assert resume(carol, draft) == step_url(draft, "measures")

    client.post(
        step_url(draft, "measures"),
        measure_post(program, ATTIC=("1000", ""), HPWH=("1", "2000.00")),
    )
    draft.refresh_from_db()
    attic, hpwh = program.measures.order_by("code")[:2]
    assert draft.step == "measures"
    assert draft.data["measures"] == {
        "lines": {
            str(attic.pk): {"quantity": "1000", "invoiced_cost": ""},
            str(hpwh.pk): {"quantity": "1", "invoiced_cost": "2000.00"},
        },
        "install_date": "2026-05-20",
        "contractor_name": "Warm Homes LLC",
    }
    assert resume(carol, draft) == step_url(draft, "documents")

    client.post(step_url(draft, "documents"), {"action": "next"})
    assert resume(carol, draft) == step_url(draft, "eligibility")
    client.post(step_url(draft, "eligibility"), {"action": "next"})
    assert resume(carol, draft) == step_url(draft, "review")


def test_a_resumed_draft_shows_the_answers_and_files_already_given(carol, program):
    account = carol.customer.accounts.get()
    draft = through_measures(
        client_for(carol), program, account, ATTIC=("1000", ""), HPWH=("1", "2000.00")
    )
    upload_invoice(client_for(carol), draft, "march-invoice.pdf")

    later = client_for(carol)  # a new session, the same log-in
    chosen = later.get(step_url(draft, "program")).context["form"]
    assert (chosen["program"].value(), chosen["account"].value()) == (
        program.pk,
        account.pk,
    )
    page = later.get(step_url(draft, "measures"))
    attic, hpwh, tstat = page.context["formset"].forms
    assert attic["quantity"].value() == "1000"
    assert (hpwh["quantity"].value(), hpwh["invoiced_cost"].value()) == ("1", "2000.00")
    assert tstat["quantity"].value() is None
    install = page.context["install"]
    assert (install["install_date"].value(), install["contractor_name"].value()) == (
        "2026-05-20",
        "Warm Homes LLC",
    )
    documents = later.get(step_url(draft, "documents"))
    assert [d.original_name for d in documents.context["documents"]] == [
        "march-invoice.pdf"
    ]
    assert "march-invoice.pdf" in documents.content.decode()


def test_save_and_finish_later_keeps_the_answers_and_returns_to_my_account(
    carol, program
):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    data = measure_post(program, ATTIC=("250", ""))
    data["action"] = "later"
    response = client.post(step_url(draft, "measures"), data)
    assert response["Location"] == reverse("portal:account")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your rebate application is saved. Continue it any time from "
        "“Apply for a rebate”."
    ]
    draft.refresh_from_db()
    assert draft.data["measures"]["lines"] == {
        str(program.measures.get(code="ATTIC").pk): {
            "quantity": "250",
            "invoiced_cost": "",
        }
    }


def test_the_start_page_lists_the_unfinished_drafts_to_continue(carol, program):
    client = client_for(carol)
    draft = start(client, program, carol.customer.accounts.get())
    submitted = start(client, program, carol.customer.accounts.get())
    OnlineApplication.objects.filter(pk=submitted.pk).update(submitted_at=NOON)
    page = client.get(reverse("customer:apply_rebate"))
    rows = page.context["drafts"]
    assert [(row["draft"].pk, row["program_name"]) for row in rows] == [
        (draft.pk, "Home Heating Rebates")
    ]
    assert reverse("customer:apply_rebate_resume", args=[draft.pk]) in (
        page.content.decode()
    )


def test_choosing_another_program_drops_the_old_programs_measures(carol, program):
    other = heat_program("COOL")
    client = client_for(carol)
    account = carol.customer.accounts.get()
    draft = through_measures(client, program, account)
    client.post(
        step_url(draft, "program"),
        {"program": other.pk, "account": account.pk, "action": "next"},
    )
    draft.refresh_from_db()
    assert "measures" not in draft.data
    assert client.get(step_url(draft, "review"))["Location"] == step_url(
        draft, "measures"
    )


def test_another_customers_draft_is_not_found(carol, program):
    draft = through_measures(client_for(carol), program, carol.customer.accounts.get())
    dave = client_for(linked_customer("dave"))
    assert (
        dave.get(reverse("customer:apply_rebate_resume", args=[draft.pk])).status_code
        == 404
    )
    for step in ("program", "measures", "documents", "eligibility", "review"):
        assert dave.get(step_url(draft, step)).status_code == 404
        assert dave.post(step_url(draft, step), {"action": "next"}).status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft()


def test_a_submitted_application_can_no_longer_be_changed(carol, program):
    client = client_for(carol)
    draft = through_measures(client, program, carol.customer.accounts.get())
    upload_invoice(client, draft)
    client.post(step_url(draft, "review"), {"confirm": "on", "action": "next"})
    draft.refresh_from_db()
    before = draft.data
    assert not draft.is_draft()

    response = client.post(
        step_url(draft, "measures"), measure_post(program, ATTIC=("5", ""))
    )
    assert response["Location"] == reverse(
        "customer:apply_rebate_resume", args=[draft.pk]
    )
    # (The upload's and submission's messages were never shown: no page
    # was opened after them.)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "This application is already submitted; it can't be changed."
    )
    draft.refresh_from_db()
    assert draft.data == before


def test_a_page_left_open_in_another_tab_never_reopens_a_submitted_draft(
    carol, program, rf
):
    from portal.customer.views_apply_rebate import _save
    from programs.online import rebate_application_submit_online

    client = client_for(carol)
    draft = through_measures(client, program, carol.customer.accounts.get())
    upload_invoice(client, draft)
    stale = OnlineApplication.objects.get(pk=draft.pk)  # the other tab's copy
    rebate_application_submit_online(actor=carol, draft=draft)

    request = rf.post("/")
    request.user = carol
    _save(request, stale, "measures", {"lines": {}})
    draft.refresh_from_db()
    assert not draft.is_draft()
    assert draft.data["measures"]["lines"] != {}
