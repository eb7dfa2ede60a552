"""A State guarantee claim on a defaulted loan of a guaranteed product:
prepared for the outstanding principal, submitted, then paid (the State's
payment posted as a recovery against the write-off) or denied; its package
PDF states the figures."""

import io
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from pypdf import PdfReader

from loans.choices import ActionType, ClaimStatus, EntryKind, RecoverySource
from loans.documents.guarantee_claim import guarantee_claim_pdf
from loans.models import CollectionAction, LoanProduct
from loans.selectors_recovery import guarantee_claims_in_period, write_offs_in_period
from loans.services.claims import (
    MORE_THAN_CLAIMED,
    guarantee_claim_deny,
    guarantee_claim_prepare,
    guarantee_claim_record_payment,
    guarantee_claim_submit,
)
from loans.services.collections import collection_action_record
from loans.services.writeoffs import recovery_position
from tests.loans.recovery_helpers import make_defaulted, write_off

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 9, 1), tick=False):
        yield


@pytest.fixture
def guaranteed(book):
    product = LoanProduct.objects.get(code="EE")
    product.state_guaranteed = True
    product.save()
    return make_defaulted(book("L-1"))


def submitted_claim(loan, staff, on=date(2026, 6, 20)):
    claim = guarantee_claim_prepare(
        actor=staff, loan=loan, prepared_on=date(2026, 6, 15)
    )
    return guarantee_claim_submit(actor=staff, claim=claim, submitted_on=on)


def test_a_paid_claim_posts_the_states_payment_as_a_recovery(
    guaranteed, staff_alice, supervisor_bob
):
    claim = submitted_claim(guaranteed, staff_alice)
    assert claim.principal_claimed == D("10000.00")
    write_off(guaranteed, staff_alice, supervisor_bob)
    claim = guarantee_claim_record_payment(
        actor=supervisor_bob,
        claim=claim,
        amount="9000.00",
        paid_on=date(2026, 8, 14),
        reference="STATE-2026-0815",
    )
    assert claim.status == ClaimStatus.PAID
    assert (claim.paid_on, claim.amount_received) == (date(2026, 8, 14), D("9000.00"))
    recovery = claim.recovery
    assert recovery.source == RecoverySource.STATE_GUARANTEE
    assert list(recovery.payment.entries.values_list("kind", "amount")) == [
        (EntryKind.RECOVERY, D("9000.00"))
    ]
    assert recovery_position(guaranteed).recoverable == D("1202.18")
    outcomes = list(
        CollectionAction.objects.filter(
            loan=guaranteed, type=ActionType.GUARANTEE_CLAIM
        ).values_list("outcome", flat=True)
    )
    assert outcomes == [
        "State paid $9,000.00 of $10,000.00 claimed",
        "Claim for $10,000.00 submitted to the State",
    ]
    rows = list(guarantee_claims_in_period(date(2026, 8, 1), date(2026, 8, 31)))
    assert [(c.principal_claimed, c.amount_received) for c in rows] == [
        (D("10000.00"), D("9000.00"))
    ]
    assert [
        w.total for w in write_offs_in_period(date(2026, 6, 1), date(2026, 6, 30))
    ] == [D("10202.18")]


def test_the_states_payment_waits_for_the_write_off(
    guaranteed, staff_alice, supervisor_bob
):
    claim = submitted_claim(guaranteed, staff_alice)
    with pytest.raises(ValidationError) as caught:
        guarantee_claim_record_payment(
            actor=supervisor_bob,
            claim=claim,
            amount="9000.00",
            paid_on=date(2026, 8, 14),
            reference="STATE-1",
        )
    assert caught.value.messages == [
        "Loan L-1 is defaulted; the State's payment is posted as a recovery "
        "against the write-off, so write the loan off first."
    ]


def test_the_state_can_not_pay_more_than_was_claimed(
    guaranteed, staff_alice, supervisor_bob
):
    claim = submitted_claim(guaranteed, staff_alice)
    write_off(guaranteed, staff_alice, supervisor_bob)
    with pytest.raises(ValidationError) as caught:
        guarantee_claim_record_payment(
            actor=supervisor_bob,
            claim=claim,
            amount="10000.01",
            paid_on=date(2026, 8, 14),
            reference="STATE-1",
        )
    assert caught.value.message_dict == {
        "amount": [MORE_THAN_CLAIMED.format(amount="$10,000.01", claimed="$10,000.00")]
    }


def test_a_denied_claim_records_the_reason_and_posts_nothing(guaranteed, staff_alice):
    claim = submitted_claim(guaranteed, staff_alice)
    claim = guarantee_claim_deny(
        actor=staff_alice,
        claim=claim,
        denied_on=date(2026, 8, 1),
        reason="Default notice sent late",
    )
    assert claim.status == ClaimStatus.DENIED
    assert (claim.denied_on, claim.denial_reason) == (
        date(2026, 8, 1),
        "Default notice sent late",
    )
    assert guaranteed.payments.count() == 0
    with pytest.raises(ValidationError) as caught:
        guarantee_claim_submit(
            actor=staff_alice, claim=claim, submitted_on=date(2026, 8, 2)
        )
    assert caught.value.messages == [
        "The claim is denied by the state; it can't be submitted from there."
    ]


def test_a_loan_of_a_product_without_the_guarantee_has_no_claim(book, staff_alice):
    loan = make_defaulted(book("L-1"))
    with pytest.raises(ValidationError) as caught:
        guarantee_claim_prepare(
            actor=staff_alice, loan=loan, prepared_on=date(2026, 6, 15)
        )
    assert caught.value.messages == [
        f"Loan L-1's product, {loan.product.name}, is not guaranteed by the State."
    ]


def test_the_claim_package_states_the_principal_claimed_and_the_history(
    guaranteed, staff_alice
):
    collection_action_record(
        actor=staff_alice,
        loan=guaranteed,
        type=ActionType.CALL,
        on=date(2026, 3, 15),
        channel="phone",
        outcome="No answer",
    )
    claim = submitted_claim(guaranteed, staff_alice)
    pdf = guarantee_claim_pdf(claim=claim)
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "State guarantee claim for loan L-1" in text
    assert "Outstanding principal claimed $10,000.00" in text
    assert "$10,000.00 at 5.00% for 60 months, installment $188.71" in text
    assert "Telephone call" in text and "No answer" in text
    assert "Claim for $10,000.00 submitted to the State" in text
    assert "No payments were received." in text
