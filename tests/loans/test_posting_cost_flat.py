"""Posting one payment costs the same whatever the loan's history: appending a
payment to a loan with 200 payments runs exactly the statements that
appending one to a loan with 10 payments runs, through the service and
through the API."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from loans.services.payments import PaymentRequest, payment_post, payments_post

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)


def loan_with_history(book, actor, number: str, payments: int, account: str):
    """A loan a few installments behind, with `payments` small payments."""
    loan = book(number, account_number=account)
    start = date(2026, 2, 1)
    payments_post(
        actor=actor,
        requests=[
            PaymentRequest(
                loan,
                Decimal("400.00") / payments,
                start + timedelta(days=400 * i // payments),
                "ach",
                f"{number}-{i}",
            )
            for i in range(payments)
        ],
    )
    return loan


def statements_to_post(actor, loan, reference: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal("25.00"),
            received_on=TODAY,
            method="ach",
            reference=reference,
        )
    # The statements' shapes: savepoint names, ids, amounts and dates aside.
    return [
        re.sub(r"\d+", "N", re.sub(r"'[^']*'", "?", q["sql"]))
        for q in queries.captured_queries
    ]


@time_machine.travel(TODAY, tick=False)
def test_posting_to_a_loan_with_200_payments_runs_the_same_statements_as_with_10(
    book, cashiering_system
):
    short = loan_with_history(book, cashiering_system, "Q-10", 10, "100001")
    long = loan_with_history(book, cashiering_system, "Q-200", 200, "100002")
    # A first posting to each warms per-process caches (content types,
    # permissions) and keeps the two loans' books alike.
    statements_to_post(cashiering_system, short, "WARM-10")
    statements_to_post(cashiering_system, long, "WARM-200")

    few = statements_to_post(cashiering_system, short, "Q-10-NEW")
    many = statements_to_post(cashiering_system, long, "Q-200-NEW")

    assert len(few) == len(many)
    assert few == many
    # Look up the reference, lock, the window of installments, one statement
    # for the loan's sums (the rows after the window, fees, the last received
    # date), the payment and its entries, the changed rows and the loan's
    # facts, each with its history row, inside the test's savepoint.
    assert len(few) <= 14


@time_machine.travel(TODAY, tick=False)
def test_the_api_posts_to_a_long_history_with_as_many_queries_as_to_a_short_one(
    book, cashiering_system, api_client_for
):
    loan_with_history(book, cashiering_system, "Q-10", 10, "100001")
    loan_with_history(book, cashiering_system, "Q-200", 200, "100002")
    api = api_client_for(cashiering_system)

    def post(number: str, reference: str) -> int:
        body = {
            "amount": "25.00",
            "received_on": TODAY.isoformat(),
            "method": "ach",
            "reference": reference,
        }
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                f"/api/v1/loans/{number}/payments",
                json.dumps(body),
                content_type="application/json",
            )
        assert response.status_code == 201
        return len(queries.captured_queries)

    post("Q-10", "WARM-10")
    post("Q-200", "WARM-200")
    assert post("Q-10", "Q-10-NEW") == post("Q-200", "Q-200-NEW")
