"""A list's columns that show a related record (customer, product, officer)
are read with the rows (portal.viewsets.related_list_columns), so the list
takes as many queries with 20 rows as with 2."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.ui.tables import Column

import pytest

from loans.models import LoanApplication
from portal.viewsets import related_list_columns
from tests.factories import LoanApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("loan_applications:index"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_applications(n: int) -> None:
    for _ in range(n):
        LoanApplicationFactory(officer=UserFactory())


def test_the_application_list_takes_as_many_queries_with_20_rows_as_with_2(
    client, supervisor_bob
):
    client.force_login(supervisor_bob)
    add_applications(2)
    with_2 = list_queries(client)
    add_applications(18)
    assert list_queries(client) == with_2


def test_related_columns_are_the_foreign_keys_shown():
    columns = [
        "customer",
        Column("product", accessor="product"),
        "requested_amount",
        "status",
        "officer",
        "get_status_display",
        Column("reference", accessor=lambda row: row.reference),
    ]
    assert related_list_columns(LoanApplication, columns) == [
        "customer",
        "product",
        "officer",
    ]
