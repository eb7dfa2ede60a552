"""A rebate application's page links its customer, account, program and
payments, and reads them in a fixed number of queries; the list's rows open
the application's page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from tests.factories import CustomerFactory, RebatePaymentFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def words(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def links(soup) -> dict[str, str]:
    return {words(a): a["href"] for a in soup.find_all("a", href=True)}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def count_queries(client, url) -> int:
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def application(apply):
    customer = CustomerFactory(first_name="Nadia", last_name="Brooks")
    account = UtilityAccountFactory(number="200417", customer=customer)
    return apply(account=account)


def add_payments(application, count):
    for _ in range(count):
        RebatePaymentFactory(application=application)


def test_the_rebate_page_links_its_neighbours(client, supervisor_bob, application):
    add_payments(application, 2)
    client.force_login(supervisor_bob)
    soup = page(client, reverse("rebate_applications:inspect", args=[application.pk]))
    found = links(soup)
    assert found["Nadia Brooks"] == reverse(
        "customers:inspect", args=[application.customer_id]
    )
    assert found["200417"] == reverse("accounts:inspect", args=[application.account_id])
    assert found[str(application.program)] == reverse(
        "programs:inspect", args=[application.program_id]
    )
    for payment in application.payments.all():
        assert found[f"Check {payment.check_number}"] == reverse(
            "rebate_payments:inspect", args=[payment.pk]
        )
    assert "Payments 2 (listed below)" in words(soup.find(id="rebate-neighbours"))


def test_the_rebate_list_rows_open_the_application_page(
    client, supervisor_bob, application
):
    client.force_login(supervisor_bob)
    found = links(page(client, reverse("rebate_applications:index")))
    assert found[application.reference] == reverse(
        "rebate_applications:inspect", args=[application.pk]
    )


def test_the_rebate_page_takes_as_many_queries_with_20_payments_as_with_2(
    client, supervisor_bob, application
):
    url = reverse("rebate_applications:inspect", args=[application.pk])
    client.force_login(supervisor_bob)
    add_payments(application, 2)
    with_2 = count_queries(client, url)
    add_payments(application, 18)
    assert count_queries(client, url) == with_2
    assert words(page(client, url).find(id="rebate-neighbours")).endswith(
        "Payments 20 (listed below)"
    )
