"""The lockbox batch import reads a coupon's scan line back: the row posts to
the loan the scan line names; a bad check digit, or an account that is not
the loan's, refuses the file with a message naming the row."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.documents.coupon_book import coupons
from loans.models import Payment
from loans.services.batch import BatchRejected, payment_batch_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_march_2026():
    with time_machine.travel(date(2026, 3, 5), tick=False):
        yield


def post(actor, body, header="scan_line,amount,received_on,reference\n"):
    return payment_batch_post(
        actor=actor, file_name="lockbox.csv", content=(header + body).encode()
    )


def test_a_coupons_scan_line_posts_the_payment_to_its_loan(book, cashiering_system):
    loan = book("L-1")
    first, second = coupons(loan)[:2]
    assert first.scan_line == "100001 L-1 0000018871 2"
    result = post(
        cashiering_system,
        f"{first.scan_line},188.71,2026-02-01,LBX-1\n"
        f"{second.scan_line},200.00,2026-03-01,LBX-2\n",
    )
    assert (result.posted, result.total) == (2, Decimal("388.71"))
    payments = Payment.objects.filter(loan=loan).order_by("received_on")
    assert [(p.amount, p.method, p.reference) for p in payments] == [
        (Decimal("188.71"), "check", "LBX-1"),
        (Decimal("200.00"), "check", "LBX-2"),
    ]


def test_a_bad_check_digit_is_refused_naming_the_row(book, cashiering_system):
    loan = book("L-1")
    good = coupons(loan)[0].scan_line
    mistyped = good.replace("0000018871", "0000018971")
    with pytest.raises(BatchRejected) as caught:
        post(
            cashiering_system,
            f"{good},188.71,2026-02-01,LBX-1\n{mistyped},188.71,2026-02-01,LBX-2\n",
        )
    assert [str(e) for e in caught.value.row_errors] == [
        "Line 3: scan_line: the scan line's check digit 2 does not match its "
        "fields: it was misread or mistyped"
    ]
    assert Payment.objects.count() == 0


def test_a_scan_line_whose_account_is_not_the_loans_is_refused(book, cashiering_system):
    book("L-1")
    from loans.scanline import scan_line

    other = scan_line("999999", "L-1", Decimal("188.71"))
    with pytest.raises(BatchRejected) as caught:
        post(cashiering_system, f"{other},188.71,2026-02-01,LBX-1\n")
    assert [str(e) for e in caught.value.row_errors] == [
        "Line 2: the scan line's account 999999 is not loan L-1's account (100001)"
    ]


def test_the_loan_number_column_must_agree_with_the_scan_line(book, cashiering_system):
    loan = book("L-1")
    book("L-2", account_number="100002")
    line = coupons(loan)[0].scan_line
    with pytest.raises(BatchRejected) as caught:
        post(
            cashiering_system,
            f"L-2,{line},188.71,2026-02-01,check,LBX-1\n",
            header="loan_number,scan_line,amount,received_on,method,reference\n",
        )
    assert [str(e) for e in caught.value.row_errors] == [
        "Line 2: loan_number L-2 differs from the scan line's L-1"
    ]


def test_a_scan_file_without_a_reference_column_names_what_is_missing(
    book, cashiering_system
):
    book("L-1")
    with pytest.raises(BatchRejected) as caught:
        post(
            cashiering_system,
            "100001 L-1 0000018871 2,188.71,2026-02-01\n",
            header="scan_line,amount,received_on\n",
        )
    (error,) = caught.value.row_errors
    assert "The file has no column(s): reference." in str(error)
