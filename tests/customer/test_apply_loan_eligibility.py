"""The eligibility step shows the very rules the staff apply, each with its
reason: the online reasons are the staff service's own words for the same
terms (loans.services.applications), never a second copy."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from loans.services import applications as staff
from portal.models import OnlineApplication
from tests.customer.apply_loan_setup import (
    Applicant,
    loan_answers,
    product,
    project_answers,
    start,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return Applicant()


def saved_for_later(client, applicant, **changes) -> OnlineApplication:
    """A draft whose step one was kept without the rules (finish later),
    as a customer may leave it."""
    client.post("/account/apply/loan/", loan_answers(applicant, later="1", **changes))
    draft = OnlineApplication.objects.latest("pk")
    client.post(step_url(draft, "project"), project_answers())
    return draft


def checks_on_page(client, draft):
    response = client.get(step_url(draft, "check"))
    assert response.status_code == 200
    return response


def test_every_rule_is_listed_with_its_reason_when_all_are_met(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    client.post(step_url(draft, "project"), project_answers())
    response = checks_on_page(client, draft)
    assert response.context["eligible"] is True
    shown = [
        (item["check"].rule, item["check"].passed, item["check"].reason)
        for item in response.context["checks"]
    ]
    assert shown == [
        (
            "The utility account is yours",
            True,
            f"Utility account {applicant.account.number} is in your name.",
        ),
        ("The loan is still offered", True, "Energy-efficiency loan is offered."),
        (
            "The amount is within the loan's range",
            True,
            "$4,000.00 is within the EE range of $500.00 to $10,000.00.",
        ),
        (
            "The term is within the loan's limit",
            True,
            "48 months is within the EE maximum of 60 months.",
        ),
        (
            "A property is named when the loan needs a lien",
            True,
            "EE loans up to $5,000.00 need no lien on the property.",
        ),
    ]
    assert "Continue to review" in response.content.decode()


def test_the_online_refusals_are_the_staff_services_own_words(applicant):
    client = applicant.client()
    draft = saved_for_later(client, applicant, amount="12000.00", term="72")
    response = checks_on_page(client, draft)
    assert response.context["eligible"] is False
    online = {
        item["check"].field: item["check"].reason
        for item in response.context["checks"]
        if not item["check"].passed
    }
    # What the staff's approval says for the same terms...
    approval = staff._check_terms(product("EE"), Money("12000.00", "USD"), 72)
    assert online == {
        "requested_amount": approval["amount"],
        "requested_term_months": approval["term"],
    }
    # ... and what the staff's entry refuses with.
    with pytest.raises(ValidationError) as entry:
        staff.application_create(
            actor=applicant.user,
            customer=applicant.customer,
            account=applicant.account,
            product=product("EE"),
            requested_amount=Decimal("12000.00"),
            requested_term_months=72,
            purpose="Heat pump",
            parcel=applicant.parcel,
        )
    assert {k: v[0] for k, v in entry.value.message_dict.items()} == online
    assert "Continue to review" not in response.content.decode()


def test_a_withdrawn_product_is_shown_as_no_longer_offered(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    client.post(step_url(draft, "project"), project_answers())
    ee = product("EE")
    ee.is_active = False
    ee.save()
    response = checks_on_page(client, draft)
    refused = [i["check"] for i in response.context["checks"] if not i["check"].passed]
    assert [(c.field, c.reason) for c in refused] == [
        ("product", "EE is no longer offered.")
    ]
    # Continuing is refused too: the page is shown again, still on the check.
    assert client.post(step_url(draft, "check")).status_code == 200
    draft.refresh_from_db()
    assert draft.step == "check"


def test_a_loan_that_needs_a_lien_without_a_property_is_refused(applicant):
    client = applicant.client()
    draft = saved_for_later(client, applicant, amount="6000.00", parcel="")
    response = checks_on_page(client, draft)
    refused = [i for i in response.context["checks"] if not i["check"].passed]
    assert [i["check"].reason for i in refused] == [
        "EE loans above $5,000.00 are secured by a lien on the property: "
        "choose the property the loan is for."
    ]
    assert refused[0]["change_url"] == step_url(draft, "loan")


def test_missing_answers_are_listed_with_where_to_give_them(applicant):
    client = applicant.client()
    client.post(
        "/account/apply/loan/",
        loan_answers(applicant, amount="", term="", later="1"),
    )
    draft = OnlineApplication.objects.get()
    response = checks_on_page(client, draft)
    assert response.context["eligible"] is False
    assert response.context["checks"] == []
    assert response.context["missing"] == [
        {
            "message": "Enter the amount you want to borrow.",
            "change_url": step_url(draft, "loan"),
        },
        {
            "message": "Enter how many months you want to repay over.",
            "change_url": step_url(draft, "loan"),
        },
        {
            "message": "Say what the loan will pay for.",
            "change_url": step_url(draft, "project"),
        },
    ]
