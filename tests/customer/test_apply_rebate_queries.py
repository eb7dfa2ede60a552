"""The application's pages ask the database a fixed number of times, however
many accounts and unfinished drafts the customer has (1 or 50)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from portal.models import OnlineApplication
from tests.customer.rebate_apply_setup import (
    NOON,
    client_for,
    heat_program,
    linked_customer,
    step_url,
    through_measures,
    upload_invoice,
)
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db

STEPS = ("program", "measures", "documents", "eligibility", "review")


@pytest.fixture(autouse=True)
def _on_june_15():
    with time_machine.travel(NOON, tick=False):
        yield


def counts(user, draft) -> dict[str, int]:
    client = client_for(user)
    pages = {"start": reverse("customer:apply_rebate")}
    pages.update({step: step_url(draft, step) for step in STEPS})
    found = {}
    for name, url in pages.items():
        client.get(url)  # warm: session, content types
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        found[name] = len(queries)
    return found


def test_step_pages_do_not_ask_more_for_more_accounts_or_drafts():
    program = heat_program()
    few, many = linked_customer("carol"), linked_customer("manny")
    drafts = {}
    for user in (few, many):
        client = client_for(user)
        drafts[user] = through_measures(client, program, user.customer.accounts.get())
        upload_invoice(client, drafts[user])
    for n in range(49):
        UtilityAccountFactory(customer=many.customer, number=f"many{n:03d}")
        OnlineApplication.objects.create(
            kind="rebate",
            customer=many.customer,
            step="program",
            data=drafts[many].data,
        )
    assert counts(few, drafts[few]) == counts(many, drafts[many])
