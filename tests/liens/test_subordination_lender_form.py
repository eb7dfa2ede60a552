"""The lenders' public subordination form: bad input is refused field by
field with nothing stored, and the answer never reveals our lien."""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from liens.models import SubordinationRequest
from portal.models import Document
from tests.factories.files import POLYGLOT, pdf_bytes
from tests.factories.liens_subordinations import recorded_lien

pytestmark = pytest.mark.django_db

URL = "/lenders/subordination-request/"

GOOD = {
    "institution": "Hudson Valley Savings Bank",
    "contact_name": "Dana Ortiz",
    "contact_email": "dana.ortiz@hvsb.example",
    "contact_phone": "518-555-0100",
    "property_text": "12 Elm St, Riverton",
    "borrower_name": "Carol Jensen",
    "new_loan_amount": "150000.00",
    "purpose": "refinance",
    "appraised_value": "200000.00",
    "senior_liens_total": "0.00",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


def test_the_form_renders_for_anyone(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Request a lien subordination" in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_a_good_request_gets_a_reference_number(client):
    response = client.post(URL, GOOD, follow=True)
    request = SubordinationRequest.objects.get()
    assert request.source == "public_form"
    assert request.reference.startswith("SR-")
    assert request.reference.encode() in response.content
    assert request.new_loan_amount.amount == 150000
    assert response.redirect_chain[-1][0] == "/lenders/subordination-request/received/"


def test_the_answer_is_the_same_whether_or_not_we_hold_a_lien(client):
    recorded_lien()  # 12 Elm St, parcel 14-2-33: a lien of ours on Carol's loan
    ours = client.post(URL, {**GOOD, "property_text": "14-2-33"}, follow=True)
    theirs = client.post(URL, {**GOOD, "property_text": "99 Nowhere Rd"}, follow=True)
    first, second = SubordinationRequest.objects.order_by("pk")
    assert first.lien is None and second.lien is None
    page_ours = ours.content.decode().replace(first.reference, "REF")
    page_theirs = theirs.content.decode().replace(second.reference, "REF")
    assert page_ours == page_theirs
    for secret in ("L-0001", "10,000", "10000", "Recorded", "lien LN-", "past due"):
        assert secret not in page_ours


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"institution": ""},
            {"institution": ["Enter the name of the lending institution."]},
        ),
        (
            {"contact_email": "dana at hvsb"},
            {"contact_email": ["Enter an e-mail address like name@bank.com."]},
        ),
        (
            {"new_loan_amount": "a lot"},
            {
                "new_loan_amount": [
                    "'a lot' is not an amount of money; use digits with an "
                    "optional decimal point, for example 1234.56."
                ]
            },
        ),
        (
            {"appraised_value": "0"},
            {"appraised_value": ["The appraised value must be more than $0.00."]},
        ),
        (
            {"senior_liens_total": "-5.00"},
            {"senior_liens_total": ["The amount can't be negative."]},
        ),
        (
            {"new_loan_amount": "150000.001"},
            {
                "new_loan_amount": [
                    "Amounts are in dollars and cents: '150000.001' has more than "
                    "two decimal places."
                ]
            },
        ),
        (
            {"borrower_name": "", "purpose": ""},
            {
                "borrower_name": ["Enter the borrower's name."],
                "purpose": ["Choose the purpose of the new loan."],
            },
        ),
    ],
)
def test_bad_input_gets_field_messages_and_stores_nothing(client, changes, expected):
    response = client.post(URL, {**GOOD, **changes})
    assert response.status_code == 200
    assert _errors(response) == expected
    assert b"There is a problem with your request" in response.content
    assert not SubordinationRequest.objects.exists()


def test_the_lenders_documents_are_stored_with_the_request(client):
    upload = SimpleUploadedFile(
        "appraisal.pdf", pdf_bytes(), content_type="application/pdf"
    )
    client.post(URL, {**GOOD, "documents": [upload]})
    request = SubordinationRequest.objects.get()
    [document] = request.documents.all()
    assert document.original_name == "appraisal.pdf"


def test_a_document_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(client):
    upload = SimpleUploadedFile(
        "appraisal.pdf", POLYGLOT, content_type="application/pdf"
    )
    response = client.post(URL, {**GOOD, "documents": [upload]})
    assert response.status_code == 200
    assert "documents" in _errors(response)
    assert not SubordinationRequest.objects.exists()
    assert not Document.objects.exists()


def test_too_many_requests_from_one_address_are_refused(client):
    for _ in range(10):
        client.post(URL, GOOD)
    response = client.post(URL, GOOD)
    assert response.status_code == 429
    assert SubordinationRequest.objects.count() == 10
