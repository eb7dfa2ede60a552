"""Batch files from the lockbox: checked as a whole, posted all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from openpyxl import Workbook

from loans.models import Payment, PaymentBatch
from loans.services.batch import BatchRejected, payment_batch_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_june_2026():
    with time_machine.travel(date(2026, 6, 1), tick=False):
        yield


HEADER = "loan_number,amount,received_on,method,reference\n"


def post_csv(actor, body, name="lockbox.csv"):
    return payment_batch_post(
        actor=actor, file_name=name, content=(HEADER + body).encode()
    )


def test_a_good_file_posts_every_row(book, cashiering_system):
    book("L-1")
    book("L-2", account_number="100002")
    result = post_csv(
        cashiering_system,
        "L-1,188.71,2026-02-01,check,LB-1\n"
        "L-2,188.71,2026-02-01,ach,LB-2\n"
        "L-1,188.71,2026-03-01,check,LB-3\n",
    )
    assert (result.posted, result.total) == (3, Decimal("566.13"))
    assert Payment.objects.filter(batch=result.batch).count() == 3
    assert PaymentBatch.objects.get().row_count == 3


def test_a_file_with_any_bad_row_posts_nothing_and_reports_every_bad_row(
    book, cashiering_system
):
    book("L-1")
    with pytest.raises(BatchRejected) as caught:
        post_csv(
            cashiering_system,
            "L-1,188.71,2026-02-01,check,LB-1\n"
            "L-9,188.71,2026-02-01,check,LB-2\n"
            "L-1,1.005,2026-02-01,check,LB-3\n"
            "L-1,188.71,2026-02-30,check,LB-4\n"
            "L-1,188.71,2026-03-01,barter,LB-5\n"
            "L-1,188.71,2026-03-01,check,LB-1\n",
        )
    messages = [str(e) for e in caught.value.row_errors]
    assert [e.line for e in caught.value.row_errors] == [3, 4, 5, 6, 7]
    assert messages[0] == "Line 3: no loan numbered L-9"
    assert "more than two decimal places" in messages[1]
    assert "'2026-02-30' is not a date" in messages[2]
    assert "method 'barter'" in messages[3]
    assert "reference LB-1 repeats line 2" in messages[4]
    assert Payment.objects.count() == 0
    assert PaymentBatch.objects.count() == 0


def test_a_row_that_fails_on_posting_rolls_back_the_whole_file(book, cashiering_system):
    book("L-1", principal="1000.00", term_months=12)
    with pytest.raises(BatchRejected) as caught:
        post_csv(
            cashiering_system,
            "L-1,85.61,2026-02-01,check,LB-1\nL-1,5000.00,2026-03-01,check,LB-2\n",
        )
    assert caught.value.row_errors[0].line == 3
    assert "more than the payoff" in caught.value.row_errors[0].reason
    assert Payment.objects.count() == 0


def test_a_row_already_posted_is_reported_not_posted_twice(book, cashiering_system):
    book("L-1")
    post_csv(cashiering_system, "L-1,188.71,2026-02-01,check,LB-1\n")
    result = post_csv(
        cashiering_system,
        "L-1,188.71,2026-02-01,check,LB-1\nL-1,188.71,2026-03-01,check,LB-2\n",
        name="again.csv",
    )
    assert (result.posted, result.already_posted) == (1, 1)
    assert Payment.objects.count() == 2


def test_a_missing_column_is_reported(cashiering_system):
    with pytest.raises(BatchRejected, match="no column.*reference"):
        payment_batch_post(
            actor=cashiering_system,
            file_name="x.csv",
            content=b"loan_number,amount,received_on,method\n1,2,3,4\n",
        )


def test_an_xlsx_file_posts_like_a_csv(book, cashiering_system):
    book("L-1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["loan_number", "amount", "received_on", "method", "reference"])
    sheet.append(["L-1", 188.71, date(2026, 2, 1), "check", "X-1"])
    sheet.append(["L-1", "188.71", "2026-03-01", "ach", "X-2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = payment_batch_post(
        actor=cashiering_system, file_name="lockbox.xlsx", content=buffer.getvalue()
    )
    assert result.posted == 2
    assert Payment.objects.get(reference="X-1").amount == Decimal("188.71")
