"""One late fee per installment, ever: the database refuses a second one
(constraint one_late_fee_per_installment), the job counts a loan whose fee
another run wrote first as 0, and a waived (reversed) fee is not charged again."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

import pytest
import time_machine

from loans.choices import EntryKind, FeeKind
from loans.models import LedgerEntry
from loans.services import late_fees
from loans.services.late_fees import late_fees_assess

pytestmark = pytest.mark.django_db
D = Decimal
NOW = date(2026, 8, 1)


def late_fee(loan, number, **extra):
    return LedgerEntry.objects.create(
        loan=loan,
        kind=EntryKind.FEE_ASSESSED,
        fee_kind=FeeKind.LATE,
        installment_number=number,
        amount=extra.pop("amount", D("15.00")),
        effective_on=extra.pop("effective_on", date(2026, 2, 17)),
        **extra,
    )


def live_late_fees(loan):
    return list(
        LedgerEntry.objects.filter(
            loan=loan,
            kind=EntryKind.FEE_ASSESSED,
            fee_kind=FeeKind.LATE,
            reverses__isnull=True,
        )
        .order_by("installment_number")
        .values_list("installment_number", "amount", "effective_on")
    )


@time_machine.travel(NOW, tick=False)
def test_the_database_refuses_a_second_late_fee_for_the_same_installment(book):
    loan = book("L-1")
    late_fee(loan, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        late_fee(loan, 1, amount=D("10.00"), effective_on=date(2026, 2, 20))
    assert live_late_fees(loan) == [(1, D("15.00"), date(2026, 2, 17))]


@time_machine.travel(NOW, tick=False)
def test_other_installments_other_loans_other_fees_and_reversals_are_not_refused(
    book,
):
    loan, other = book("L-1"), book("L-2")
    first = late_fee(loan, 1)
    late_fee(loan, 2, effective_on=date(2026, 3, 17))
    late_fee(other, 1)
    LedgerEntry.objects.create(
        loan=loan,
        kind=EntryKind.FEE_ASSESSED,
        fee_kind=FeeKind.RETURNED_PAYMENT,
        installment_number=1,
        amount=D("25.00"),
        effective_on=date(2026, 2, 20),
    )
    # Waiving the fee: a reversing entry for the same installment.
    late_fee(loan, 1, amount=D("-15.00"), effective_on=date(2026, 3, 1), reverses=first)
    assert live_late_fees(loan) == [
        (1, D("15.00"), date(2026, 2, 17)),
        (2, D("15.00"), date(2026, 3, 17)),
    ]


@time_machine.travel(NOW, tick=False)
def test_a_waived_late_fee_is_not_charged_again(book, cashiering_system):
    loan = book("L-1")
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 1)) == 1
    fee = LedgerEntry.objects.get(loan=loan, fee_kind=FeeKind.LATE)
    late_fee(loan, 1, amount=-fee.amount, effective_on=date(2026, 3, 1), reverses=fee)
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 1)) == 0
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 20)) == 1
    assert live_late_fees(loan) == [
        (1, D("15.00"), date(2026, 2, 17)),
        (2, D("15.00"), date(2026, 3, 17)),
    ]


@time_machine.travel(NOW, tick=False)
def test_a_loan_whose_fee_another_run_wrote_first_counts_zero_and_the_run_goes_on(
    book, cashiering_system, monkeypatch
):
    # An overlapping run that did not wait for the lock: this run did not see
    # its fee (as if read before it committed) and tries to write it again.
    first, second = book("L-1"), book("L-2")
    late_fee(first, 1)
    monkeypatch.setattr(late_fees, "_charged_by_loan", lambda loan_ids: {})
    assert late_fees_assess(actor=cashiering_system, as_of=date(2026, 3, 1)) == 1
    assert live_late_fees(first) == [(1, D("15.00"), date(2026, 2, 17))]
    assert live_late_fees(second) == [(1, D("15.00"), date(2026, 2, 17))]
