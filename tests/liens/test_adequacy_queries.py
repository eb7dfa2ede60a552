"""A review reads its figures set-based: the number of queries does not grow
with the number of accounts."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from liens.services.adequacy import adequacy_review_run
from tests.factories.liens_adequacy import account, bills, instrument

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 31)


def _make(prefix: int, count: int) -> None:
    accounts = []
    for n in range(count):
        acct = account(f"{prefix}{n:04d}")
        bills(acct, ["40.00", "50.10"], AS_OF)
        accounts.append(acct)
    instrument(
        {a: "60.00" for a in accounts},
        expires_on=date(2026, 4, 15),
        number=f"BL-{prefix}",
    )


def _queries(actor) -> int:
    with CaptureQueriesContext(connection) as ctx:
        adequacy_review_run(actor=actor, as_of=AS_OF, customer_class="all")
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_accounts(staff_alice):
    _make(1, 3)
    _queries(staff_alice)  # first run opens follow-ups; compare like with like
    small = _queries(staff_alice)
    _make(2, 30)
    _queries(staff_alice)
    large = _queries(staff_alice)
    assert large == small
