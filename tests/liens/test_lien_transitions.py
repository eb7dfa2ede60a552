"""Each lien transition: what it records, and its refusals (which change nothing)."""

from datetime import date

from django.core.exceptions import ValidationError

import pytest
import time_machine

from liens.choices import LienStatus
from liens.models import Lien
from liens.services.liens import (
    lien_create_for_loan,
    lien_prepare_satisfaction,
    lien_record,
    lien_satisfy,
)
from loans.choices import LoanStatus
from portal.audit import audit_context
from tests.factories.liens_liens import lien_to_record, loan_on_property, recorded_lien

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def _paid_off(lien: Lien) -> Lien:
    # The payoff itself is the loans engine's (see test_lien_payoff); here the
    # loan's state is what the predicates read.
    loan = lien.loan
    loan.status, loan.paid_off_on = LoanStatus.PAID_OFF, date(2026, 3, 10)
    with audit_context(reason="test"):
        loan.save(update_fields=["status", "paid_off_on"])
    lien.refresh_from_db()
    return lien


def test_a_lien_is_created_for_the_loans_principal_on_its_property_at_position_1(
    staff_alice,
):
    loan = loan_on_property(principal="10000.00", parcel_id="12-345-678")
    lien = lien_create_for_loan(actor=staff_alice, loan=loan)
    assert (lien.status, lien.position, lien.amount.amount) == (
        LienStatus.TO_RECORD,
        1,
        10000,
    )
    assert str(lien.amount.amount) == "10000.00"
    assert lien.parcel.parcel_id == "12-345-678"
    assert (
        lien.history.order_by("-history_id").first().history_change_reason
        == "Lien created for loan L-1"
    )


def test_a_loan_without_a_property_gets_no_lien(staff_alice):
    loan = loan_on_property()
    loan.parcel = None
    with audit_context(reason="test"):
        loan.save(update_fields=["parcel"])
    with pytest.raises(ValidationError) as refused:
        lien_create_for_loan(actor=staff_alice, loan=loan)
    assert refused.value.messages == [
        "Loan L-1 has no property on file; add the property before creating its lien."
    ]
    assert Lien.objects.count() == 0


def test_a_loan_gets_one_standing_lien(staff_alice):
    lien = lien_to_record(staff_alice)
    with pytest.raises(ValidationError) as refused:
        lien_create_for_loan(actor=staff_alice, loan=lien.loan)
    assert refused.value.messages == [f"Loan L-1 already has lien {lien.reference}."]
    assert Lien.objects.count() == 1


def test_only_the_lien_role_creates_liens(cashier_casey):
    with pytest.raises(ValidationError) as refused:
        lien_to_record(cashier_casey)
    assert refused.value.messages == ["You don't have permission to record liens."]
    assert Lien.objects.count() == 0


def test_recording_stores_the_county_facts_and_its_date(staff_alice):
    lien = lien_record(
        actor=staff_alice,
        lien=lien_to_record(staff_alice),
        recording_county="Marion",
        book="1234",
        page="56",
        recorded_on=date(2026, 1, 15),
        position=2,
    )
    lien.refresh_from_db()
    assert (lien.status, lien.recorded_on, lien.position) == (
        LienStatus.RECORDED,
        date(2026, 1, 15),
        2,
    )
    assert lien.recording_reference == "Book 1234, page 56"
    assert lien.history.order_by("-history_id").first().history_change_reason == (
        "Lien recorded in Marion County (book 1234, page 56) on 2026-01-15"
    )


def test_recording_twice_is_refused(staff_alice):
    lien = recorded_lien(staff_alice)
    with pytest.raises(ValidationError) as refused:
        lien_record(
            actor=staff_alice,
            lien=lien,
            recording_county="Polk",
            instrument_number="X-1",
            recorded_on=date(2026, 2, 1),
        )
    assert refused.value.messages == [
        f"Lien {lien.reference} is recorded; it can't be recorded from there."
    ]
    lien.refresh_from_db()
    assert (lien.recording_county, lien.instrument_number) == ("Marion", "2026-004512")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"recording_county": "Marion"},
            {
                "instrument_number": [
                    "Give the instrument number, or the book and page."
                ]
            },
        ),
        (
            {"recording_county": "Marion", "book": "12"},
            {"page": ["Give the page with the book."]},
        ),
        (
            {"recording_county": "", "instrument_number": "A-1"},
            {"recording_county": ["Give the county where the lien was recorded."]},
        ),
        (
            {
                "recording_county": "Marion",
                "instrument_number": "A-1",
                "recorded_on": date(2026, 3, 21),
            },
            {"recorded_on": ["The recording date can't be in the future."]},
        ),
    ],
)
def test_recording_needs_its_facts(staff_alice, fields, errors):
    lien = lien_to_record(staff_alice)
    with pytest.raises(ValidationError) as refused:
        lien_record(
            actor=staff_alice, lien=lien, **{"recorded_on": date(2026, 1, 15), **fields}
        )
    assert refused.value.message_dict == errors
    lien.refresh_from_db()
    assert lien.status == LienStatus.TO_RECORD


def test_a_cashier_cannot_record_a_lien(staff_alice, cashier_casey):
    lien = lien_to_record(staff_alice)
    with pytest.raises(ValidationError) as refused:
        lien_record(
            actor=cashier_casey,
            lien=lien,
            recording_county="Marion",
            instrument_number="A-1",
            recorded_on=date(2026, 1, 15),
        )
    assert refused.value.messages == ["You don't have permission to record liens."]


def test_no_satisfaction_is_prepared_while_the_loan_has_a_balance(staff_alice):
    lien = recorded_lien(staff_alice)
    with pytest.raises(ValidationError) as refused:
        lien_prepare_satisfaction(actor=staff_alice, lien=lien)
    assert refused.value.messages == [
        "Loan L-1 still has a balance; its lien can't be satisfied until it is "
        "paid off."
    ]
    lien.refresh_from_db()
    assert (lien.status, lien.satisfaction_document) == (LienStatus.RECORDED, None)


def test_preparing_the_satisfaction_makes_its_pdf_and_stamps_the_day(staff_alice):
    lien = lien_prepare_satisfaction(
        actor=staff_alice, lien=_paid_off(recorded_lien(staff_alice))
    )
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFACTION_PENDING
    assert lien.satisfaction_prepared_on == date(2026, 3, 20)
    document = lien.satisfaction_document
    assert document.content_type == "application/pdf"
    assert document.original_name == f"satisfaction-{lien.reference}.pdf"
    assert document.file.read(5) == b"%PDF-"


def test_recording_the_satisfaction_satisfies_the_lien(staff_alice):
    lien = lien_prepare_satisfaction(
        actor=staff_alice, lien=_paid_off(recorded_lien(staff_alice))
    )
    lien = lien_satisfy(
        actor=staff_alice,
        lien=lien,
        satisfied_on=date(2026, 3, 18),
        satisfaction_instrument_number="2026-009876",
    )
    lien.refresh_from_db()
    assert (
        lien.status,
        lien.satisfied_on,
        lien.satisfaction_instrument_number,
    ) == (LienStatus.SATISFIED, date(2026, 3, 18), "2026-009876")
    assert lien.history.order_by("-history_id").first().history_change_reason == (
        f"Satisfaction of lien {lien.reference} recorded (2026-009876)"
    )


def test_satisfying_a_lien_not_prepared_is_refused(staff_alice):
    lien = _paid_off(recorded_lien(staff_alice))
    with pytest.raises(ValidationError) as refused:
        lien_satisfy(
            actor=staff_alice,
            lien=lien,
            satisfied_on=date(2026, 3, 18),
            satisfaction_instrument_number="S-1",
        )
    assert refused.value.messages == [
        f"Lien {lien.reference} is recorded; it can't be satisfied from there."
    ]


def test_satisfying_needs_the_instrument_number_and_a_past_date(staff_alice):
    lien = lien_prepare_satisfaction(
        actor=staff_alice, lien=_paid_off(recorded_lien(staff_alice))
    )
    with pytest.raises(ValidationError) as refused:
        lien_satisfy(
            actor=staff_alice,
            lien=lien,
            satisfied_on=date(2026, 3, 21),
            satisfaction_instrument_number=" ",
        )
    assert refused.value.message_dict == {
        "satisfaction_instrument_number": [
            "Give the instrument number the county gave the satisfaction."
        ],
        "satisfied_on": ["The satisfaction date can't be in the future."],
    }
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFACTION_PENDING
