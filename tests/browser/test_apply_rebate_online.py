"""A linked customer applies for a rebate online in a real browser: starts,
leaves, comes back in a new session, uploads an invoice, sees eligibility,
submits and sees the confirmation with the reference and status. Every step
is screenshotted and checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest
from djmoney.money import Money

from portal import roles
from programs.models import RebateApplication
from tests.browser.flows_apply_rebate import (
    resume_rebate,
    see_eligibility,
    start_rebate,
    submit_rebate,
    upload_document,
)
from tests.factories import (
    CustomerFactory,
    MeasureFactory,
    ProgramFactory,
    UserFactory,
    UtilityAccountFactory,
)
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def carol(db):
    user = UserFactory(username="carol", first_name="Carol")
    user.groups.add(Group.objects.get(name=roles.CUSTOMER))
    customer = CustomerFactory(first_name="Carol", last_name="Jensen", user=user)
    UtilityAccountFactory(customer=customer, number="100200", line1="12 Elm St")
    return user


@pytest.fixture
def heat(db):
    # The live server runs on today's date: the program is open around it.
    today = timezone.localdate()
    program = ProgramFactory(
        code="HEAT",
        name="Home Heating Rebates",
        fiscal_year=today.year,
        budget=Money("50000.00", "USD"),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=180),
    )
    MeasureFactory(
        program=program,
        code="ATTIC",
        name="Attic insulation",
        incentive_kind="per_unit",
        amount=Decimal("0.50"),
        unit="sq ft",
    )
    MeasureFactory(
        program=program,
        code="TSTAT",
        name="Smart thermostat",
        incentive_kind="fixed",
        amount=Decimal("75.00"),
        required_documents=["invoice"],
    )
    return program


def test_a_customer_starts_leaves_resumes_uploads_and_submits_a_rebate(
    page_for, carol, heat, tmp_path
):
    installed = timezone.localdate() - timedelta(days=10)
    page = page_for(carol)
    start_rebate(
        page,
        "HEAT",
        account="100200 — 12 Elm St",
        quantities={"Attic insulation": "1000", "Smart thermostat": "1"},
        install_date=installed.isoformat(),
        contractor="Warm Homes LLC",
    )
    assert page.problems == [], "\n".join(page.problems)

    later = page_for(carol)  # another day, another session
    resume_rebate(later)
    invoice = tmp_path / "invoice-march.pdf"
    invoice.write_bytes(pdf_bytes())
    upload_document(later, invoice)

    eligibility = see_eligibility(later)
    assert "You meet the requirements of Home Heating Rebates" in eligibility
    assert "$575.00" in eligibility  # $500.00 insulation + $75.00 thermostat

    reference = submit_rebate(later)
    application = RebateApplication.objects.get()
    assert reference == application.reference
    assert application.requested_amount == Money("575.00", "USD")
    status = later.page.locator("dl.facts").inner_text()
    assert "Submitted" in status
    assert later.problems == [], "\n".join(later.problems)
