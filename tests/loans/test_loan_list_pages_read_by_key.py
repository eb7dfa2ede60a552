"""The loan list's pages read their keys from the nearer end of the list's
order (the last page walks back from the end instead of skipping every
loan before it), then the rows by key alone: the search that found them runs
for the count and the keys, not a third time for the rows. Every loan is on
exactly one page, whichever column the list is sorted by."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from loans.models import Loan, LoanProduct
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

STATUSES = ["active", "delinquent", "paid_off"]


def add_loans(count: int) -> None:
    product = LoanProduct.objects.get(code="EE")
    customer: Any = CustomerFactory(last_name="Keyes")
    Loan.objects.bulk_create(
        [
            Loan(
                number=f"K-{i:05d}",
                customer=customer,
                product=product,
                principal=Decimal("1000.00"),
                annual_rate=Decimal("5.00"),
                term_months=12,
                installment_amount=Decimal("85.61"),
                first_due_date=date(2026, 2, 1),
                # Many ties: sorting by status alone is not a total order.
                status=STATUSES[i % 3],
            )
            for i in range(count)
        ]
    )


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def shown(content: str) -> list[str]:
    # Each row names its loan more than once (the link, its buttons' labels).
    return list(dict.fromkeys(re.findall(r"K-\d{5}", content)))


def test_the_last_page_reads_its_keys_backwards_without_an_offset(
    client, auditor_audrey
):
    client.force_login(auditor_audrey)
    add_loans(105)
    content, sql = get(client, reverse("loans:index") + "?p=6")
    assert shown(content) == [f"K-{i:05d}" for i in range(100, 105)]
    keys = [q for q in sql if q.startswith('SELECT "loans_loan"."id" AS "pk"')]
    assert len(keys) == 1
    assert "DESC" in keys[0] and "OFFSET" not in keys[0], keys[0]


def test_every_loan_is_on_exactly_one_page_in_any_order(client, auditor_audrey):
    client.force_login(auditor_audrey)
    add_loans(105)
    for ordering in ["", "&ordering=status", "&ordering=-status", "&ordering=-number"]:
        seen = []
        for p in range(1, 7):
            content, _ = get(client, f"{reverse('loans:index')}?p={p}{ordering}")
            seen += shown(content)
        assert sorted(seen) == [f"K-{i:05d}" for i in range(105)], ordering


def test_a_search_runs_once_and_its_rows_are_read_by_key(client, auditor_audrey):
    client.force_login(auditor_audrey)
    add_loans(30)
    content, sql = get(client, reverse("loans:index") + "?q=K-0001")
    assert shown(content) == [f"K-{i:05d}" for i in range(10, 20)]
    # The keys, counted as read (the log-in's roles and permissions are one
    # UNION of their own: portal.auth.backends).
    searches = [q for q in sql if "UNION" in q and "auth_permission" not in q]
    assert len(searches) == 1
    assert not any(q.startswith("SELECT COUNT(*)") for q in sql), sql


def search_pages(client, text: str, pages: int) -> tuple[list[str], list[str]]:
    seen: list[str] = []
    queries: list[str] = []
    for p in range(1, pages + 1):
        content, sql = get(client, reverse("loans:index") + f"?q={text}&p={p}")
        seen += shown(content)
        queries += sql
    return seen, queries


def test_a_search_paged_shows_every_match_once_in_order(client, auditor_audrey):
    client.force_login(auditor_audrey)
    add_loans(45)
    seen, sql = search_pages(client, "K-000", 3)
    assert seen == [f"K-{i:05d}" for i in range(45)]
    assert not any(q.startswith("SELECT COUNT(*)") for q in sql)


def test_a_search_with_more_matches_than_read_at_once_is_counted(
    client, auditor_audrey, monkeypatch
):
    from portal.viewsets import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "FEW", 5)
    client.force_login(auditor_audrey)
    add_loans(45)
    seen, sql = search_pages(client, "K-000", 3)
    assert seen == [f"K-{i:05d}" for i in range(45)]
    assert sum(q.startswith("SELECT COUNT(*)") for q in sql) == 3
