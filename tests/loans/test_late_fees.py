from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans.selectors import loan_summary
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_an_installment_unpaid_past_the_grace_days_is_charged_once(
    book, cashiering_system
):
    loan = book("L-1")  # EE: $15.00 after 15 grace days
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 16)) == 0
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 17)) == 1
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 10)) == 0
    assert loan_summary(loan, date(2026, 3, 10)).balance["fees"] == Decimal("15.00")


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_a_payment_after_the_fee_pays_the_fee_first(book, cashiering_system):
    loan = book("L-1")
    late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 20))
    posted = payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("203.71"),
        received_on=date(2026, 2, 25),
        method="check",
        reference="LATE-1",
    )
    assert posted.allocation["fees"] == Decimal("15.00")
    assert posted.allocation["interest"] + posted.allocation["principal"] == (
        Decimal("188.71")
    )


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_an_installment_paid_within_grace_is_not_charged(book, cashiering_system):
    loan = book("L-1")
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 10),
        method="check",
        reference="OK-1",
    )
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 2, 20)) == 0
