"""Before submitting, the customer sees eligibility with every reason, the
measure limits and the estimated incentive per line: the very words and
amounts staff entry (programs.services) gives for the same facts, because
the page asks the same functions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from djmoney.money import Money

from programs.models import RebateLine
from programs.online import rebate_draft_answers
from programs.services import customer_eligibility, rebate_application_create
from tests.customer.rebate_apply_setup import (
    NOON,
    TODAY,
    client_for,
    heat_program,
    linked_customer,
    step_url,
    through_measures,
    upload_invoice,
)
from tests.factories import RebateApplicationFactory

pytestmark = pytest.mark.django_db

ALL_THREE = {"ATTIC": ("1000", ""), "HPWH": ("1", "2500.00"), "TSTAT": ("1", "")}


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


def staff_refusal(staff, draft) -> dict[str, list[str]]:
    """What staff entry says about the same answers and files."""
    answers = rebate_draft_answers(draft)
    with pytest.raises(ValidationError) as caught:
        rebate_application_create(
            actor=staff,
            program=answers.program,
            account=answers.account,
            lines=answers.lines,
            documents=list(draft.documents.all()),
        )
    return caught.value.message_dict


def test_an_eligible_customer_sees_every_reason_and_the_incentive_per_line(
    carol, program
):
    client = client_for(carol)
    draft = through_measures(
        client, program, carol.customer.accounts.get(), **ALL_THREE
    )
    upload_invoice(client, draft)
    page = client.get(step_url(draft, "eligibility"))
    estimate = page.context["estimate"]
    account = carol.customer.accounts.get()
    staff_view = customer_eligibility(
        program=program, account=account, customer=account.customer, on=TODAY
    )
    assert estimate.eligibility == staff_view
    assert estimate.eligibility.eligible
    assert [(e.line.measure.code, e.incentive, e.problems) for e in estimate.lines] == [
        ("ATTIC", Decimal("500.00"), []),
        ("HPWH", Decimal("600.00"), []),
        ("TSTAT", Decimal("75.00"), []),
    ]
    assert estimate.total == Decimal("1175.00")
    html = page.content.decode()
    for reason in staff_view.reasons:
        assert reason in html
    assert "$1,175.00" in html
    assert "Continue to review" in html


def test_an_ineligible_customer_sees_exactly_the_reasons_staff_entry_refuses_with(
    carol, program, staff_alice
):
    account = carol.customer.accounts.get()
    account.customer_class = "commercial"
    account.delinquent_balance = Money("80.00", "USD")
    account.save()
    client = client_for(carol)
    draft = through_measures(client, program, account, **ALL_THREE)
    upload_invoice(client, draft)

    page = client.get(step_url(draft, "eligibility"))
    failures = page.context["estimate"].eligibility.failures
    staff_view = customer_eligibility(
        program=program, account=account, customer=account.customer, on=TODAY
    )
    assert len(failures) == 2
    assert failures == staff_view.failures
    assert staff_refusal(staff_alice, draft) == {"account": failures}
    html = page.content.decode()
    for failure in failures:
        assert failure in html
    # Nothing to submit: only "Save and finish later" is offered.
    assert "Continue to review" not in html


def test_measure_limits_and_missing_documents_read_as_staff_entry_says_them(
    carol, program, staff_alice
):
    account = carol.customer.accounts.get()
    heater = program.measures.get(code="HPWH")
    earlier = RebateApplicationFactory(program=program, account=account, status="paid")
    RebateLine.objects.create(
        application=earlier,
        measure=heater,
        quantity=Decimal("1"),
        incentive=Decimal("600.00"),
    )
    client = client_for(carol)
    draft = through_measures(client, program, account, **ALL_THREE)  # no invoice

    estimate = client.get(step_url(draft, "eligibility")).context["estimate"]
    assert estimate.problems == staff_refusal(staff_alice, draft)["lines"]
    assert estimate.problems == [
        "HPWH: One per premise: this premise already has 1 previous "
        "installation(s) of this measure.",
        "Attach the required documents: invoice.",
    ]
    assert not estimate.can_submit
