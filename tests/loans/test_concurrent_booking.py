"""Ten clients booking the same loan number at the same moment: exactly one
201 and nine 409, never a 500 (PostgreSQL, one connection per thread)."""

import threading
from collections import Counter

from django.db import connection, connections
from django.test import Client

from wagtail.models import APIToken

import pytest

from loans.models import Loan
from tests.loans.payloads import BOOK as BASE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL and real concurrent connections",
    ),
]

BOOK = {**BASE, "number": "EE-2026-0042", "account_number": "100042"}


def test_ten_parallel_bookings_of_one_number_give_one_201_and_nine_409(
    cashiering_system,
):
    _, token = APIToken.create_token(user=cashiering_system, name="race")
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def book() -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            barrier.wait()
            response = client.post(
                "/api/v1/loans", BOOK, content_type="application/json"
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(statuses) == {201: 1, 409: 9}
    assert Loan.objects.filter(number="EE-2026-0042").count() == 1
