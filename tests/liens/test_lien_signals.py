"""A lien at activation when the loan needs one; its satisfaction prepared
when the loan is paid off, never while it has a balance."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine
from pypdf import PdfReader

from liens import receivers
from liens.choices import LienStatus
from liens.models import Lien
from liens.services.liens import lien_satisfy
from loans.choices import LoanStatus
from loans.models import Loan, LoanProduct
from loans.services.closing import loan_activate
from loans.services.payments import payment_post, payment_reverse, payoff_quote
from portal.audit import audit_context
from tests.factories.liens_liens import cashiering_user, recorded_lien
from tests.factories.portal import PropertyFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connected():
    # Another module's test clears loan_paid_off's receivers; connecting again
    # is idempotent (dispatch_uid).
    receivers.connect()
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def _closing_loan(principal: str, *, parcel=True) -> Loan:
    account = UtilityAccountFactory()
    product = LoanProduct.objects.get(code="EE")  # lien above $5,000.00
    amount = Decimal(principal)
    loan = Loan(
        number=f"EE-{principal}",
        customer=account.customer,
        account=account,
        parcel=PropertyFactory() if parcel else None,
        product=product,
        principal=amount,
        annual_rate=Decimal("5.00"),
        term_months=60,
        installment_amount=Decimal("188.71"),
        first_due_date=date(2026, 4, 1),
        status=LoanStatus.CLOSING,
        lien_required=amount > product.lien_required_above.amount,
    )
    with audit_context(reason="test"):
        loan.save()
    return loan


def test_activating_a_loan_that_needs_a_lien_creates_it_to_record(
    staff_alice, django_capture_on_commit_callbacks
):
    loan = _closing_loan("10000.00")
    with django_capture_on_commit_callbacks(execute=True):
        loan_activate(actor=staff_alice, loan=loan, disbursed_on=date(2026, 3, 1))
    lien = Lien.objects.get(loan=loan)
    assert (lien.status, lien.amount.amount, lien.parcel_id) == (
        LienStatus.TO_RECORD,
        Decimal("10000.00"),
        loan.parcel_id,
    )


def test_activating_a_loan_under_the_lien_threshold_creates_no_lien(
    staff_alice, django_capture_on_commit_callbacks
):
    loan = _closing_loan("5000.00")
    with django_capture_on_commit_callbacks(execute=True):
        loan_activate(actor=staff_alice, loan=loan, disbursed_on=date(2026, 3, 1))
    assert not Lien.objects.exists()


def test_a_loan_needing_a_lien_but_without_a_property_still_activates(
    staff_alice, django_capture_on_commit_callbacks
):
    loan = _closing_loan("10000.00", parcel=False)
    with django_capture_on_commit_callbacks(execute=True):
        loan_activate(actor=staff_alice, loan=loan, disbursed_on=date(2026, 3, 1))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert not Lien.objects.exists()


def _pay_off(loan: Loan, cashier, capture):
    quote = payoff_quote(loan, date(2026, 3, 20))
    with capture(execute=True):
        return payment_post(
            actor=cashier,
            loan=loan,
            amount=quote.total,
            received_on=date(2026, 3, 20),
            method="ach",
            reference="PAYOFF",
        )


def test_paying_off_the_loan_prepares_the_satisfaction_of_its_lien(
    staff_alice, django_capture_on_commit_callbacks
):
    lien = recorded_lien(staff_alice, parcel_id="12-345-678")
    _pay_off(lien.loan, cashiering_user(), django_capture_on_commit_callbacks)
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFACTION_PENDING
    assert lien.satisfaction_prepared_on == date(2026, 3, 20)
    # The cashier's system can't record liens: the office's system user did.
    assert (
        lien.history.order_by("-history_id").first().history_user.username == "system"
    )
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(lien.satisfaction_document.file).pages
    )
    assert "Satisfaction of lien" in text
    assert "loan L-1 of Carol Jensen" in text
    assert "paid in full on March 20, 2026" in text
    assert "Amount secured $10,000.00" in text
    assert "Parcel 12-345-678" in text
    assert "Marion County, 2026-004512" in text


def test_a_reversed_payoff_leaves_the_lien_unsatisfiable(
    staff_alice, supervisor_bob, django_capture_on_commit_callbacks
):
    lien = recorded_lien(staff_alice)
    cashier = cashiering_user()
    posted = _pay_off(lien.loan, cashier, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        payment_reverse(actor=cashier, payment=posted.payment, reason="posting_error")
    lien.refresh_from_db()
    assert lien.loan.status == LoanStatus.ACTIVE
    assert lien.status == LienStatus.SATISFACTION_PENDING
    with pytest.raises(ValidationError) as refused:
        lien_satisfy(
            actor=supervisor_bob,
            lien=lien,
            satisfied_on=date(2026, 3, 20),
            satisfaction_instrument_number="S-1",
        )
    assert refused.value.messages == [
        "Loan L-1 still has a balance; its lien can't be satisfied until it is "
        "paid off."
    ]
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFACTION_PENDING


def test_a_paid_off_loan_without_a_lien_is_left_alone(
    django_capture_on_commit_callbacks,
):
    from tests.factories.liens_liens import loan_on_property

    loan = loan_on_property()
    _pay_off(loan, cashiering_user(), django_capture_on_commit_callbacks)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PAID_OFF
    assert not Lien.objects.exists()
