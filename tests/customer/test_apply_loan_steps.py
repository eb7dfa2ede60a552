"""Each step of the online loan application says, on the field, what is
missing or wrong, and saves nothing until its answers are right."""

from __future__ import annotations

from django.urls import reverse

import pytest

from portal.models import OnlineApplication
from tests.customer.apply_loan_setup import (
    Applicant,
    fill_in,
    loan_answers,
    product,
    project_answers,
    start,
    step_url,
)
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return Applicant()


def post_step1(applicant, **changes):
    client = applicant.client()
    return client.post(
        reverse("customer:apply_loan"), loan_answers(applicant, **changes)
    )


def test_step_one_starts_empty_and_can_preselect_a_product(applicant):
    client = applicant.client()
    empty = client.get(reverse("customer:apply_loan"))
    assert empty.status_code == 200
    assert empty.context["form"]["product"].value() is None
    chosen = client.get(reverse("customer:apply_loan") + "?product=WS")
    assert chosen.context["form"]["product"].value() == product("WS").pk
    unknown = client.get(reverse("customer:apply_loan") + "?product=NOPE")
    assert unknown.context["form"]["product"].value() is None


def test_step_one_names_every_missing_answer_on_its_field(applicant):
    response = post_step1(
        applicant, account="", parcel="", product="", amount="", term=""
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "account": ["Choose the utility account the loan is for."],
        "product": ["Choose the loan you are applying for."],
        "amount": ["Enter the amount you want to borrow."],
        "term": ["Enter how many months you want to repay over."],
    }
    assert not OnlineApplication.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("amount", "4000.005", "has more than two decimal places"),
        ("amount", "4e3", "amounts with an exponent are not accepted"),
        ("term", "four", "Enter the term as a whole number of months, such as 48."),
        ("term", "0", "The term must be at least one month."),
    ],
)
def test_step_one_refuses_a_malformed_answer_on_its_field(
    applicant, field, typed, message
):
    response = post_step1(applicant, **{field: typed})
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not OnlineApplication.objects.exists()


def test_step_one_offers_only_the_customers_own_accounts_and_properties(applicant):
    stranger = Applicant("sam")
    response = post_step1(
        applicant, account=stranger.account.pk, parcel=stranger.parcel.pk
    )
    assert response.context["form"].errors == {
        "account": ["Choose the utility account the loan is for."],
        "parcel": ["Choose one of your properties."],
    }
    assert not OnlineApplication.objects.exists()


def test_step_one_refuses_an_amount_outside_the_range_in_the_staffs_words(applicant):
    response = post_step1(applicant, amount="12000.00", term="72")
    assert response.context["form"].errors == {
        "amount": ["$12,000.00 is outside the EE range of $500.00 to $10,000.00."],
        "term": ["72 months is longer than the EE maximum of 60 months."],
    }
    assert not OnlineApplication.objects.exists()


def test_step_one_needs_the_property_when_the_loan_needs_a_lien(applicant):
    response = post_step1(applicant, amount="6000.00", parcel="")
    assert response.context["form"].errors == {
        "parcel": [
            "EE loans above $5,000.00 are secured by a lien on the property: "
            "choose the property the loan is for."
        ]
    }
    # Up to the threshold no property is needed.
    assert post_step1(applicant, amount="5000.00", parcel="").status_code == 302


def test_step_one_saves_the_draft_and_goes_on_to_step_two(applicant):
    response = post_step1(applicant, amount="4,250.50")
    draft = OnlineApplication.objects.get()
    assert response["Location"] == step_url(draft, "project")
    assert draft.customer == applicant.customer
    assert draft.kind == "loan"
    assert draft.step == "project"
    assert draft.data == {
        "loan": {
            "account": applicant.account.pk,
            "parcel": applicant.parcel.pk,
            "product": product("EE").pk,
            "amount": "4250.50",
            "term": 48,
        }
    }


def test_step_two_needs_measures_or_a_description(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    response = client.post(
        step_url(draft, "project"), project_answers(measures=[], purpose="  ")
    )
    assert response.context["form"].errors == {
        "purpose": ["Say what the loan will pay for."]
    }
    draft.refresh_from_db()
    assert "project" not in draft.data
    # Ticking a measure is enough.
    ticked = client.post(
        step_url(draft, "project"), project_answers(measures=["windows"], purpose="")
    )
    assert ticked.status_code == 302


def test_step_two_refuses_an_unknown_measure_and_control_characters(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    response = client.post(
        step_url(draft, "project"),
        project_answers(measures=["hot_tub"], contractor_name="Ace\x07Energy"),
    )
    errors = response.context["form"].errors
    assert errors["measures"] == [
        "Select a valid choice. hot_tub is not one of the available choices."
    ]
    assert errors["contractor_name"] == [
        "Remove the control character (such as NUL) from the text."
    ]


def test_step_two_saves_the_project_and_goes_on_to_the_check(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    response = client.post(step_url(draft, "project"), project_answers())
    assert response["Location"] == step_url(draft, "check")
    draft.refresh_from_db()
    assert draft.step == "check"
    assert draft.data["project"] == {
        "measures": ["insulation", "heat_pump"],
        "purpose": "Attic insulation to R-30 and a cold-climate heat pump",
        "contractor_name": "Riverton Home Energy",
        "proposal": None,
    }


def test_the_review_needs_the_confirmation_box(applicant):
    client = applicant.client()
    draft = fill_in(client, applicant)
    response = client.post(step_url(draft, "review"), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "confirm": ["Tick the box to confirm that the information is true."]
    }
    draft.refresh_from_db()
    assert draft.is_draft()


def test_the_review_shows_every_answer_and_the_estimated_installment(applicant):
    client = applicant.client()
    draft = fill_in(client, applicant)
    page = client.get(step_url(draft, "review")).content.decode()
    for shown in [
        applicant.account.number,
        applicant.parcel.parcel_id,
        "Energy-efficiency loan",
        "$4,000.00",
        "48 months",
        # loans.schedule: $4,000.00 at 5 % over 48 months.
        "$92.12",
        "Insulation, Heat pump",
        "Riverton Home Energy",
        "proposal.pdf",
        f'href="{step_url(draft, "loan")}"',
        f'href="{step_url(draft, "project")}"',
    ]:
        assert shown in page


def test_back_links_lead_to_the_previous_step_with_the_answers_kept(applicant):
    client = applicant.client()
    draft = fill_in(client, applicant)
    review = client.get(step_url(draft, "review"))
    assert review.context["back_url"] == step_url(draft, "check")
    project = client.get(step_url(draft, "project"))
    assert project.context["back_url"] == step_url(draft, "loan")
    assert project.context["form"]["contractor_name"].value() == "Riverton Home Energy"
    loan = client.get(step_url(draft, "loan"))
    assert loan.context["form"]["amount"].value() == "4000.00"


def test_a_single_account_is_chosen_already_with_the_property_it_serves(applicant):
    form = applicant.client().get(reverse("customer:apply_loan")).context["form"]
    assert form["account"].value() == applicant.account.pk
    assert form["parcel"].value() == applicant.parcel.pk


def test_a_customer_without_an_account_is_told_to_link_one_first(client):
    user = UserFactory(username="noah")
    CustomerFactory(user=user)
    client.force_login(user)
    page = client.get(reverse("customer:apply_loan")).content.decode()
    assert "No utility account is linked to your log-in yet" in page
