"""An online loan application is a draft saved at every step: the customer
can leave, come back in another session and continue where they left off,
with their answers filled in; "Save and finish later" keeps a half-filled
step."""

from __future__ import annotations

from django.urls import reverse

import pytest

from portal.customer.drafts import customer_drafts
from portal.models import OnlineApplication
from tests.customer.apply_loan_setup import (
    Applicant,
    loan_answers,
    project_answers,
    start,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return Applicant()


def resume_url(draft):
    return reverse("customer:apply_loan_resume", args=[draft.pk])


def test_a_new_session_resumes_at_the_saved_step_with_the_answers_filled_in(
    applicant,
):
    draft = start(applicant.client(), applicant, amount="3,500.00", term="36")

    later = applicant.client()  # another day, another browser session
    response = later.get(resume_url(draft))
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "project")
    form = later.get(step_url(draft, "loan")).context["form"]
    assert form["account"].value() == applicant.account.pk
    assert form["parcel"].value() == applicant.parcel.pk
    assert form["amount"].value() == "3500.00"
    assert form["term"].value() == 36


def test_each_step_moves_the_resume_point_on(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    client.post(step_url(draft, "project"), project_answers())
    assert applicant.client().get(resume_url(draft))["Location"] == step_url(
        draft, "check"
    )
    client.post(step_url(draft, "check"))
    assert applicant.client().get(resume_url(draft))["Location"] == step_url(
        draft, "review"
    )
    project = applicant.client().get(step_url(draft, "project")).context["form"]
    assert project["measures"].value() == ["insulation", "heat_pump"]
    assert project["contractor_name"].value() == "Riverton Home Energy"


def test_save_and_finish_later_keeps_a_half_filled_first_step(applicant):
    client = applicant.client()
    response = client.post(
        reverse("customer:apply_loan"),
        loan_answers(applicant, amount="", term="", product="", later="1"),
    )
    # Back to My applications (My account until that page exists).
    assert response.status_code == 302
    assert response["Location"] in {"/account/", "/account/applications/"}
    draft = OnlineApplication.objects.get()
    assert draft.step == "loan"
    assert draft.data["loan"]["account"] == applicant.account.pk
    assert draft.data["loan"]["amount"] == ""
    assert applicant.client().get(resume_url(draft))["Location"] == step_url(
        draft, "loan"
    )


def test_save_and_finish_later_still_refuses_a_malformed_answer(applicant):
    client = applicant.client()
    response = client.post(
        reverse("customer:apply_loan"),
        loan_answers(applicant, amount="lots", later="1"),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["amount"]
    assert not OnlineApplication.objects.exists()


def test_save_and_finish_later_on_step_two_needs_no_description(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    response = client.post(
        step_url(draft, "project"),
        project_answers(measures=[], purpose="", later="1"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.step == "project"
    assert draft.data["project"]["contractor_name"] == "Riverton Home Energy"


def test_changing_step_one_later_keeps_the_project(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    client.post(step_url(draft, "project"), project_answers())
    client.post(step_url(draft, "loan"), loan_answers(applicant, amount="4500.00"))
    draft.refresh_from_db()
    assert draft.data["loan"]["amount"] == "4500.00"
    assert draft.data["project"]["contractor_name"] == "Riverton Home Energy"
    assert OnlineApplication.objects.count() == 1


def test_the_customers_drafts_are_listed_without_the_sent_ones(applicant):
    client = applicant.client()
    first = start(client, applicant)
    second = start(client, applicant)
    other = Applicant("sam")
    start(other.client(), other)
    assert list(customer_drafts(applicant.customer, "loan")) == [second, first]
    assert list(customer_drafts(applicant.customer, "rebate")) == []
