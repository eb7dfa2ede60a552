"""A batch file's bad rows are all reported in one pass, each with a human
reason (overpayments included, found by posting the good rows inside the
transaction and rolling back); an oversize file is refused unread; a file
that posts nothing new keeps no batch record."""

from datetime import date

import pytest
import time_machine

from loans.models import Payment, PaymentBatch
from loans.services.batch import BatchRejected, payment_batch_post
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db

HEADER = "loan_number,amount,received_on,method,reference\n"


@pytest.fixture(autouse=True)
def in_june_2026():
    with time_machine.travel(date(2026, 6, 1), tick=False):
        yield


def post_csv(actor, body, name="lockbox.csv"):
    return payment_batch_post(
        actor=actor, file_name=name, content=(HEADER + body).encode()
    )


def test_seven_different_bad_rows_are_reported_together(book, cashiering_system):
    loan = book("L-1")
    book("L-2", account_number="100002")
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount="188.71",
        received_on=date(2026, 2, 1),
        method="ach",
        reference="OLD-1",
    )
    body = (
        "L-1,188.71,2026-03-01,check,GOOD-1\n"  # line 2: fine
        "L-1,abc,2026-03-01,check,BAD-1\n"  # 3
        "L-9,188.71,2026-03-01,check,BAD-2\n"  # 4
        "L-1,188.71,2026-06-02,check,BAD-3\n"  # 5
        "L-1,188.71,2026-03-01,barter,BAD-4\n"  # 6
        "L-1,188.71,2026-03-01,check,GOOD-1\n"  # 7
        # 8: payoff = 10,000.00 principal + 41.67 + 41.05 interest due by Mar 1
        "L-2,99999.00,2026-03-01,check,BAD-6\n"
        "L-1,100.00,2026-02-01,ach,OLD-1\n"  # 9
    )
    with pytest.raises(BatchRejected) as rejected:
        post_csv(cashiering_system, body)
    assert [str(e) for e in rejected.value.row_errors] == [
        "Line 3: amount: 'abc' is not an amount of money; use digits with an "
        "optional decimal point, for example 1234.56.",
        "Line 4: no loan numbered L-9",
        "Line 5: The received date can't be in the future (today is 2026-06-01).",
        "Line 6: method 'barter' is not one of cash, check, ach, card, on_bill",
        "Line 7: reference GOOD-1 repeats line 2",
        "Line 8: $99,999.00 is more than the payoff of $10,082.72 on 2026-03-01; "
        "post at most the payoff amount.",
        "Line 9: Reference OLD-1 was already posted with a different amount: "
        "posted $188.71, this request $100.00. Nothing was posted; use a new "
        "reference for a new payment.",
    ]
    assert list(Payment.objects.values_list("reference", flat=True)) == ["OLD-1"]
    assert not PaymentBatch.objects.exists()


def test_a_nul_in_a_row_is_reported_on_its_line(book, cashiering_system):
    book("L-1")
    with pytest.raises(BatchRejected) as rejected:
        post_csv(
            cashiering_system,
            "L-1,188.71,2026-03-01,check,LB\x001\n"
            "L\x00-1,188.71,2026-03-01,check,LB-2\n",
        )
    assert [str(e) for e in rejected.value.row_errors] == [
        "Line 2: A payment reference may contain only letters, digits, '-', '_' "
        "and '.', and must start with a letter or digit.",
        "Line 3: loan_number may contain only letters, digits, '-', '_' and '.'",
    ]


def test_a_file_above_the_limit_is_refused_unread(cashiering_system, settings):
    settings.PORTAL_BATCH_MAX_BYTES = 1024
    with pytest.raises(BatchRejected) as rejected:
        post_csv(cashiering_system, "L-1,1.00,2026-03-01,check,X\n" * 100)
    assert [str(e) for e in rejected.value.row_errors] == [
        "Line 1: The file is 2.8\xa0KB; the largest batch file accepted is 1.0\xa0KB."
    ]


def test_reposting_a_posted_file_keeps_no_empty_batch_record(book, cashiering_system):
    book("L-1")
    body = "L-1,188.71,2026-03-01,check,LB-1\n"
    first = post_csv(cashiering_system, body)
    again = post_csv(cashiering_system, body)
    assert (first.posted, again.posted, again.already_posted) == (1, 0, 1)
    assert again.batch is None
    assert PaymentBatch.objects.count() == 1
