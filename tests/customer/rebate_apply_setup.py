"""Shared setup for the online rebate application's tests (plain functions,
so each test module says which it uses): a linked customer, an open program
with three kinds of measure, and steps 1-2 answered through the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from djmoney.money import Money

from portal import roles
from portal.models import OnlineApplication
from tests.factories import (
    CustomerFactory,
    MeasureFactory,
    ProgramFactory,
    UserFactory,
    UtilityAccountFactory,
)
from tests.factories.files import pdf_bytes, upload

# Every module pins the day (noon in Riverton) with time_machine, so dates in
# messages are fixed.
TODAY = date(2026, 6, 15)
NOON = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
PDF = pdf_bytes()


def linked_customer(username: str = "carol", *, accounts: int = 1) -> Any:
    """A log-in linked to a customer with `accounts` residential accounts
    (electric and water, in good standing); returns the user."""
    user = UserFactory(username=username, first_name=username.title())
    user.groups.add(Group.objects.get(name=roles.CUSTOMER))
    customer = CustomerFactory(
        first_name=username.title(), last_name="Jensen", user=user
    )
    for n in range(accounts):
        UtilityAccountFactory(customer=customer, number=f"{username[:3]}{n:04d}")
    return user


def heat_program(code: str = "HEAT") -> Any:
    """An open residential program with a fixed, a per-unit and a
    percent-of-cost measure; the thermostat needs an invoice."""
    program = ProgramFactory(
        code=code,
        name="Home Heating Rebates",
        budget=Money("50000.00", "USD"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
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
        code="HPWH",
        name="Heat pump water heater",
        incentive_kind="percent_of_cost",
        amount=None,
        percent=Decimal("30.00"),
        cap=Decimal("600.00"),
        limit_kind="one_per_premise",
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


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(draft: OnlineApplication, step: str) -> str:
    return reverse("customer:apply_rebate_step", args=[draft.pk, step])


def measure_post(program: Any, **lines: Any) -> dict[str, str]:
    """The measures step's POST: lines={"ATTIC": ("1000", ""), ...} by code,
    in the program's order (the formset's), then install date and
    contractor (overridable as install_date=..., contractor_name=...)."""
    install_date = lines.pop("install_date", "2026-05-20")
    contractor = lines.pop("contractor_name", "Warm Homes LLC")
    measures = list(program.measures.order_by("code"))
    data = {
        "line-TOTAL_FORMS": str(len(measures)),
        "line-INITIAL_FORMS": str(len(measures)),
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": "1000",
        "install_date": install_date,
        "contractor_name": contractor,
        "action": "next",
    }
    for index, measure in enumerate(measures):
        quantity, cost = lines.get(measure.code, ("", ""))
        data[f"line-{index}-quantity"] = quantity
        if measure.incentive_kind == "percent_of_cost":
            data[f"line-{index}-invoiced_cost"] = cost
    return data


def start(client: Client, program: Any, account: Any) -> OnlineApplication:
    """Answer step 1 on the start page; the new draft."""
    response = client.post(
        reverse("customer:apply_rebate"),
        {"program": program.pk, "account": account.pk, "action": "next"},
    )
    assert response.status_code == 302, response.content.decode()
    return OnlineApplication.objects.latest("pk")


def through_measures(
    client: Client, program: Any, account: Any, **lines: Any
) -> OnlineApplication:
    """Steps 1 and 2 answered (by default 1,000 sq ft of attic insulation
    and a thermostat)."""
    draft = start(client, program, account)
    lines = lines or {"ATTIC": ("1000", ""), "TSTAT": ("1", "")}
    response = client.post(step_url(draft, "measures"), measure_post(program, **lines))
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    return draft


def upload_invoice(client: Client, draft: OnlineApplication, name: str = "invoice.pdf"):
    return client.post(
        step_url(draft, "documents"),
        {
            "action": "upload",
            "document_type": "invoice",
            "file": upload(name, PDF, "application/pdf"),
        },
    )
