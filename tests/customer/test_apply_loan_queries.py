"""Each step's page reads a fixed number of rows, however many accounts,
properties and drafts the customer has (1 vs 50)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from portal.models import OnlineApplication
from tests.customer.apply_loan_setup import Applicant, fill_in, step_url
from tests.factories import PropertyFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


def queries_per_page(applicant) -> dict[str, int]:
    client = applicant.client()
    draft = fill_in(client, applicant)
    urls = {
        "start": reverse("customer:apply_loan"),
        **{
            step: step_url(draft, step)
            for step in ["loan", "project", "check", "review"]
        },
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def grow(applicant, n: int) -> None:
    for _ in range(n):
        parcel = PropertyFactory()
        parcel.owners.add(applicant.customer)
        UtilityAccountFactory(customer=applicant.customer, service_property=parcel)
        OnlineApplication.objects.create(customer=applicant.customer, kind="loan")


def test_step_pages_do_not_read_more_for_more_accounts_and_drafts():
    few = Applicant("carol")
    many = Applicant("sam")
    grow(many, 49)
    assert queries_per_page(many) == queries_per_page(few)
