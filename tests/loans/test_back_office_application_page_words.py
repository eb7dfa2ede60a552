"""The loan application's page speaks in words: every underwriting figure as
$1,234.56, every date as March 4, 2026, the billing months as "February
2026", yes/no answers and statuses as words, people by name; no raw amount
("6000.00"), currency code, snake_case status or user id reaches it. The
rebate application's page writes its dates the same way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup
from djmoney.money import Money

from loans.services import applications as apps
from tests.factories import (
    BillingPeriodFactory,
    CustomerFactory,
    LoanApplicationFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db


def words(soup) -> str:
    return " ".join(soup.select_one("main").get_text(" ", strip=True).split())


def rows(soup, table_id) -> dict[str, str]:
    table = soup.find(id=table_id)
    return {
        " ".join(tr.th.get_text(" ", strip=True).split()): " ".join(
            tr.td.get_text(" ", strip=True).split()
        )
        for tr in table.select("tbody tr")
    }


@pytest.fixture
def approved(staff_alice, supervisor_bob):
    customer = CustomerFactory(first_name="Walter", last_name="Okafor")
    account = UtilityAccountFactory(
        customer=customer, delinquent_balance=Money("1234.50", "USD")
    )
    BillingPeriodFactory(
        account=account,
        period_start=date(2026, 1, 1),
        billed_amount=Money("120.00", "USD"),
        paid_amount=Money("120.00", "USD"),
    )
    BillingPeriodFactory(
        account=account,
        period_start=date(2026, 2, 1),
        billed_amount=Money("1310.25", "USD"),
        paid_amount=Money("75.75", "USD"),
        paid_late=True,
    )
    with time_machine.travel(datetime(2026, 3, 2, 15, tzinfo=UTC), tick=False):
        application = LoanApplicationFactory(
            account=account,
            prepared_by=staff_alice,
            requested_amount=Money("6000.00", "USD"),
            requested_term_months=60,
        )
        apps.application_submit(actor=staff_alice, application=application)
    with time_machine.travel(datetime(2026, 3, 3, 15, tzinfo=UTC), tick=False):
        apps.application_start_review(actor=staff_alice, application=application)
    with time_machine.travel(datetime(2026, 3, 4, 15, tzinfo=UTC), tick=False):
        apps.application_approve(
            actor=supervisor_bob,
            application=application,
            amount=Decimal("5500.00"),
            term_months=48,
        )
    return application


def test_the_application_page_writes_every_figure_and_date_in_words(
    client, supervisor_bob, approved
):
    client.force_login(supervisor_bob)
    response = client.get(reverse("loan_applications:inspect", args=[approved.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")

    terms = rows(soup, "application-terms")
    assert terms["Requested"] == "$6,000.00 over 60 months"
    assert terms["Approved"] == "$5,500.00 over 48 months"
    assert terms["Prepared by"] == "Alice"
    assert terms["Submitted"] == "March 2, 2026"
    assert terms["Review started"] == "March 3, 2026"
    assert terms["Approved on"] == "March 4, 2026 by Bob"

    underwriting = rows(soup, "underwriting")
    assert underwriting["Late utility payments"] == "1 of the last 2 months"
    assert underwriting["Current delinquent balance"] == "$1,234.50"
    assert underwriting["Turned to bad debt"] == "No"
    assert underwriting["Amount within the product's limits"].startswith("Yes ($")

    billing = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in soup.find(id="billing-history").select("tbody tr")
    ]
    assert billing == [
        ["February 2026", "$1,310.25", "$75.75", "Late"],
        ["January 2026", "$120.00", "$120.00", "On time"],
    ]

    text = words(soup)
    assert f"{approved.reference} — Walter Okafor (Approved)" in text
    # No raw amount, currency code, ISO date, snake_case code or user id.
    assert not re.search(r"(?<![\d,$])\d{3,}\.\d{2}\b", text), text
    assert "US$" not in text and "USD" not in text
    assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", text)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)


@time_machine.travel(datetime(2026, 4, 20, 15, tzinfo=UTC), tick=False)
def test_the_rebate_application_page_writes_dates_in_the_house_format(
    client, staff_alice
):
    from tests.factories import RebateApplicationFactory

    app = RebateApplicationFactory(
        status="inspected",
        inspection_scheduled_for=date(2026, 4, 7),
        inspected_on=date(2026, 4, 9),
        inspection_passed=True,
    )
    client.force_login(staff_alice)
    response = client.get(reverse("rebate_applications:inspect", args=[app.pk]))
    text = words(BeautifulSoup(response.content, "html.parser"))
    assert "Inspection scheduled for April 7, 2026" in text
    assert "Inspection passed on April 9, 2026" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)
