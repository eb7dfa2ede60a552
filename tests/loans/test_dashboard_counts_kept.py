"""Dashboard panels that count over the whole portfolio (loans past due by
bucket, the collections queue by bucket) count once a minute for every
process (portal.panels.counted_recently) and say when they counted: within
the minute a view reads the kept figures, all of one moment; after it, or on
a new day, they are counted again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine
from bs4 import BeautifulSoup

from loans.services.booking import loan_book

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def counts_kept(settings):
    settings.PORTAL_DASHBOARD_COUNTS_SECONDS = 60


def book(actor, number: str, account: int) -> None:
    """A $1,200.00 zero-interest loan whose first $100.00 was due May 1:
    45 days past due on June 15."""
    loan_book(
        actor=actor,
        number=number,
        product_code="ZI",
        customer_name=f"Borrower {number}",
        customer_email=f"{number.lower()}@example.org",
        account_number=str(account),
        principal=Decimal("1200.00"),
        annual_rate=Decimal("0.00"),
        term_months=12,
        first_due_date=date(2026, 5, 1),
        disbursed_on=date(2026, 4, 1),
    )


def delinquency(client) -> tuple[list[list[str]], str, list[str]]:
    section: Any
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    section = BeautifulSoup(response.content, "html.parser").find(
        id="delinquency-section"
    )
    rows = [
        [
            " ".join(c.get_text(" ", strip=True).split())
            for c in tr.find_all(["th", "td"])
        ]
        for tr in section.find("tfoot").find_all("tr")
    ]
    text = " ".join(section.get_text(" ", strip=True).split())
    return rows, text, [q["sql"] for q in ctx.captured_queries]


def counts_past_due(sql: list[str]) -> bool:
    return any('FROM "loans_loan"' in q and "GROUP BY" in q for q in sql)


def test_within_the_minute_the_kept_figures_show_with_when_they_were_counted(
    client, auditor_audrey, supervisor_bob
):
    client.force_login(auditor_audrey)
    with time_machine.travel(NOW, tick=False):
        book(supervisor_bob, "ZI-0001", 800001)
        first, text, sql = delinquency(client)
        assert first == [["Past due", "1", "$1,200.00"]]
        assert (
            "as of June 15, 2026. Counted at 2:00 p.m.; counted again every 60 seconds."
            in text
        )
        assert counts_past_due(sql)
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        book(supervisor_bob, "ZI-0002", 800002)
        kept, text, sql = delinquency(client)
        assert kept == first
        assert "Counted at 2:00 p.m." in text
        assert not counts_past_due(sql)
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        again, text, sql = delinquency(client)
        assert again == [["Past due", "2", "$2,400.00"]]
        assert "Counted at 2:01 p.m." in text
        assert counts_past_due(sql)


def test_a_new_day_counts_afresh(client, auditor_audrey, supervisor_bob):
    client.force_login(auditor_audrey)
    with time_machine.travel(NOW.replace(hour=23, minute=59, second=50), tick=False):
        book(supervisor_bob, "ZI-0001", 800001)
        delinquency(client)
    with time_machine.travel(NOW.replace(hour=23) + timedelta(hours=1), tick=False):
        _, text, sql = delinquency(client)
        assert "as of June 16, 2026" in text
        assert counts_past_due(sql)


def test_the_collections_queue_counts_are_kept_too(client, staff_alice, supervisor_bob):
    client.force_login(staff_alice)
    with time_machine.travel(NOW, tick=False):
        book(supervisor_bob, "ZI-0001", 800001)
        response = client.get(reverse("wagtailadmin_home"))
        section: Any = BeautifulSoup(response.content, "html.parser").find(
            id="collections-queue-section"
        )
        assert "Counted at 2:00 p.m." in section.get_text(" ", strip=True)
    with time_machine.travel(NOW + timedelta(seconds=10), tick=False):
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("wagtailadmin_home"))
        assert not counts_past_due([q["sql"] for q in ctx.captured_queries])
