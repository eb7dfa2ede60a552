"""A title company's payoff request: its payoff letter, its refusals, and the
satisfaction that follows the payment."""

from datetime import date

from django.core.exceptions import ValidationError

import pytest
import time_machine
from pypdf import PdfReader

from liens import receivers
from liens.choices import LienStatus
from liens.models import PayoffRequest
from liens.services.payoffs import payoff_request_create
from loans.services.payments import payment_post, payoff_quote
from tests.factories.liens_liens import cashiering_user, recorded_lien

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    receivers.connect()
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def _request(actor, loan, **fields):
    return payoff_request_create(
        actor=actor,
        loan=loan,
        **{
            "title_company": "Cascade Title Co.",
            "contact_name": "Dana Reyes",
            "email": "dana@cascadetitle.example",
            "closing_on": date(2026, 3, 27),
            "payoff_on": date(2026, 3, 27),
            **fields,
        },
    )


def test_a_payoff_request_produces_the_payoff_letter_good_through_its_date(
    staff_alice,
):
    lien = recorded_lien(staff_alice)
    payoff = _request(staff_alice, lien.loan)
    assert payoff.reference == f"PR-{payoff.pk:06d}"
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(payoff.letter_document.file).pages
    )
    assert "Payoff statement for loan L-1" in text
    assert "good through March 27, 2026" in text
    quote = payoff_quote(lien.loan, date(2026, 3, 27))
    assert f"${quote.total:,.2f}" in text


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"email": "not-an-address"},
            {"email": ["Give the contact's e-mail address, e.g. name@example.com."]},
        ),
        (
            {"payoff_on": date(2026, 3, 19)},
            {"payoff_on": ["The payoff date can't be in the past."]},
        ),
        (
            {"title_company": " ", "contact_name": ""},
            {
                "title_company": ["Give the title company's name."],
                "contact_name": ["Give the name of the contact at the title company."],
            },
        ),
    ],
)
def test_a_bad_payoff_request_is_refused_on_its_fields(staff_alice, fields, errors):
    lien = recorded_lien(staff_alice)
    with pytest.raises(ValidationError) as refused:
        _request(staff_alice, lien.loan, **fields)
    assert refused.value.message_dict == errors
    assert not PayoffRequest.objects.exists()


def test_a_cashier_cannot_enter_payoff_requests(staff_alice, cashier_casey):
    lien = recorded_lien(staff_alice)
    with pytest.raises(ValidationError) as refused:
        _request(cashier_casey, lien.loan)
    assert refused.value.messages == [
        "You don't have permission to enter payoff requests."
    ]


def test_the_title_companys_payment_brings_the_satisfaction(
    staff_alice, django_capture_on_commit_callbacks
):
    lien = recorded_lien(staff_alice)
    payoff = _request(staff_alice, lien.loan, payoff_on=date(2026, 3, 20))
    quote = payoff_quote(lien.loan, date(2026, 3, 20))
    with django_capture_on_commit_callbacks(execute=True):
        payment_post(
            actor=cashiering_user(),
            loan=lien.loan,
            amount=quote.total,
            received_on=date(2026, 3, 20),
            method="check",
            reference="TITLE-1",
        )
    payoff.refresh_from_db()
    lien.refresh_from_db()
    assert payoff.is_paid()
    assert lien.status == LienStatus.SATISFACTION_PENDING
    with pytest.raises(ValidationError) as refused:
        _request(staff_alice, lien.loan)
    assert refused.value.messages == [
        "Loan L-1 is paid off; there is no payoff to quote."
    ]
