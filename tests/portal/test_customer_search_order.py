"""The customer search finds customers by a fragment of any part of their
name, e-mail, phone or address, listed in the list's order (last name,
first name); with few matches they are found through the search's trigram
index and sorted, rather than by walking the name order's index and testing
every customer until a page is full (portal.viewsets.CustomerIndexView)."""

import re

from django.db import connection
from django.db.models import F
from django.urls import reverse

import pytest

from portal.viewsets import customers_matching
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def listed(client, query: str) -> list[str]:
    response = client.get(reverse("customers:index"), {"q": query})
    assert response.status_code == 200
    return re.findall(
        r'<a href="/admin/customers/inspect/\d+/">\s*([^<]+?)\s*</a>',
        response.content.decode(),
    )


def test_a_fragment_finds_customers_in_name_order(client, staff_alice):
    for first, last in [
        ("Zoe", "Garcia"),
        ("Ana", "Garcia"),
        ("Luis", "Garciaparra"),
        ("Ann", "Abbott"),
    ]:
        CustomerFactory(first_name=first, last_name=last)
    CustomerFactory(first_name="Ana", last_name="Smith", mailing_line1="1 Garcia Way")
    client.force_login(staff_alice)
    assert listed(client, "arci") == [
        "Ana Garcia",
        "Zoe Garcia",
        "Luis Garciaparra",
        "Ana Smith",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)
def test_on_postgresql_a_search_sorted_apart_reads_the_trigram_index():
    CustomerFactory(first_name="Ada", last_name="Lovelace")
    apart = customers_matching("lovelace").order_by(
        *[
            F(n).asc(nulls_first=True)
            for n in ["last_name", "first_name", "business_name", "pk"]
        ]
    )
    sql, params = apart.values_list("pk", flat=True)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cust_search_text_trgm" in plan and "cust_list_order" not in plan, plan
