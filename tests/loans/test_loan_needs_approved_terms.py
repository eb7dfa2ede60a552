"""A loan is opened from an approved application's approved amount and term.
An application marked approved without them (outside the approval workflow,
which always sets both) is refused with a message, instead of failing on the
missing amount."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
from djmoney.money import Money

from loans.choices import ApplicationStatus
from loans.models import Loan
from loans.services import closing
from tests.factories import LoanApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("approved_amount", "approved_term_months"),
    [(None, None), (Money(Decimal("4000.00"), "USD"), None), (None, 48)],
    ids=["neither", "no term", "no amount"],
)
def test_an_approved_application_without_its_approved_terms_is_refused(
    staff_alice, approved_amount, approved_term_months
):
    application = LoanApplicationFactory(
        status=ApplicationStatus.APPROVED,
        approved_amount=approved_amount,
        approved_term_months=approved_term_months,
    )
    with pytest.raises(ValidationError) as refused:
        closing.loan_create_from_application(
            actor=staff_alice, application=application, first_due_date=date(2026, 3, 1)
        )
    assert refused.value.messages == [
        f"Application LA-{application.pk:06d} has no approved amount and term; "
        "it can't become a loan."
    ]
    assert not Loan.objects.exists()
