"""Referral to the City Attorney, judgments and their satisfaction, agency
placement and recall: recorded with their facts and in the collection
history; refused with a message when the facts don't hold."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.choices import ActionType
from loans.models import CollectionAction
from loans.services.legal import (
    CASE_TAKEN,
    JUDGMENT_BEFORE_REFERRAL,
    agency_placement_recall,
    agency_placement_record,
    attorney_referral_record,
    judgment_record,
    judgment_satisfy,
)
from tests.loans.recovery_helpers import make_defaulted, write_off

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 9, 1), tick=False):
        yield


def refer(loan, actor, on=date(2026, 6, 15)):
    return attorney_referral_record(
        actor=actor,
        loan=loan,
        referred_on=on,
        attorney="Dana Whitfield",
        office="Office of the City Attorney",
    )


def test_a_judgment_follows_a_referral_and_is_satisfied(book, staff_alice):
    loan = make_defaulted(book("L-1"))
    referral = refer(loan, staff_alice)
    judgment = judgment_record(
        actor=staff_alice,
        loan=loan,
        case_number="26-CV-0412",
        court="Municipal Court",
        amount="10450.00",
        judgment_on=date(2026, 7, 20),
    )
    assert judgment.referral == referral
    assert judgment.amount == D("10450.00")
    judgment_satisfy(
        actor=staff_alice,
        judgment=judgment,
        satisfied_on=date(2026, 8, 25),
        amount="4000.00",
    )
    judgment.refresh_from_db()
    assert (judgment.satisfied_on, judgment.satisfied_amount) == (
        date(2026, 8, 25),
        D("4000.00"),
    )
    assert [
        (a.type, a.outcome) for a in CollectionAction.objects.filter(loan=loan)
    ] == [
        (
            ActionType.JUDGMENT,
            "Judgment for $10,450.00 in Municipal Court, case 26-CV-0412",
        ),
        (
            ActionType.ATTORNEY_REFERRAL,
            "Referred to Dana Whitfield, Office of the City Attorney",
        ),
    ]
    with pytest.raises(ValidationError) as caught:
        judgment_satisfy(
            actor=staff_alice,
            judgment=judgment,
            satisfied_on=date(2026, 8, 26),
            amount="1.00",
        )
    assert caught.value.messages == [
        "Judgment 26-CV-0412 was already satisfied on August 25, 2026."
    ]


def test_a_judgment_without_a_referral_or_before_it_is_refused(book, staff_alice):
    loan = make_defaulted(book("L-1"))
    with pytest.raises(ValidationError) as caught:
        judgment_record(
            actor=staff_alice,
            loan=loan,
            case_number="26-CV-0412",
            court="Municipal Court",
            amount="10450.00",
            judgment_on=date(2026, 7, 20),
        )
    assert caught.value.messages == [
        "Loan L-1 has not been referred to the City Attorney; record the "
        "referral before the judgment."
    ]
    refer(loan, staff_alice)
    with pytest.raises(ValidationError) as caught:
        judgment_record(
            actor=staff_alice,
            loan=loan,
            case_number="26-CV-0412",
            court="Municipal Court",
            amount="0",
            judgment_on=date(2026, 6, 1),
        )
    assert caught.value.message_dict == {
        "amount": ["The judgment amount must be more than $0.00."],
        "judgment_on": [JUDGMENT_BEFORE_REFERRAL.format(day="June 15, 2026")],
    }


def test_one_case_number_per_court(book, staff_alice):
    first = make_defaulted(book("L-1"))
    second = make_defaulted(book("L-2", account_number="100002"))
    for loan in (first, second):
        refer(loan, staff_alice)
    judgment_record(
        actor=staff_alice,
        loan=first,
        case_number="26-CV-0412",
        court="Municipal Court",
        amount="100.00",
        judgment_on=date(2026, 7, 20),
    )
    with pytest.raises(ValidationError) as caught:
        judgment_record(
            actor=staff_alice,
            loan=second,
            case_number="26-cv-0412",
            court="Municipal Court",
            amount="100.00",
            judgment_on=date(2026, 7, 20),
        )
    assert caught.value.message_dict == {
        "case_number": [CASE_TAKEN.format(court="Municipal Court", case="26-cv-0412")]
    }


def test_an_agency_placement_records_the_balance_and_one_agency_at_a_time(
    book, staff_alice
):
    loan = make_defaulted(book("L-1"))
    placement = agency_placement_record(
        actor=staff_alice, loan=loan, agency="Acme Recovery", placed_on=date(2026, 6, 1)
    )
    # The payoff on June 1: $10,000.00 principal and $202.18 interest.
    assert placement.balance_placed == D("10202.18")
    assert CollectionAction.objects.get(loan=loan).outcome == (
        "Placed with Acme Recovery: $10,202.18"
    )
    with pytest.raises(ValidationError) as caught:
        agency_placement_record(
            actor=staff_alice, loan=loan, agency="Other", placed_on=date(2026, 7, 1)
        )
    assert caught.value.messages == [
        "Loan L-1 is already placed with an agency; recall it before placing it again."
    ]
    agency_placement_recall(
        actor=staff_alice,
        placement=placement,
        recalled_on=date(2026, 8, 1),
        reason="No contact in 60 days",
    )
    placement.refresh_from_db()
    assert (placement.recalled_on, placement.recall_reason) == (
        date(2026, 8, 1),
        "No contact in 60 days",
    )
    again = agency_placement_record(
        actor=staff_alice, loan=loan, agency="Other", placed_on=date(2026, 8, 2)
    )
    assert again.agency == "Other"


def test_a_written_off_loan_is_placed_for_what_is_left_to_recover(
    book, staff_alice, supervisor_bob
):
    loan = make_defaulted(book("L-1"))
    write_off(loan, staff_alice, supervisor_bob)
    loan.refresh_from_db()
    placement = agency_placement_record(
        actor=staff_alice, loan=loan, agency="Acme Recovery", placed_on=date(2026, 7, 1)
    )
    assert placement.balance_placed == D("10202.18")


def test_an_active_loan_is_not_referred_and_a_cashier_records_no_legal_action(
    book, staff_alice, cashier_casey
):
    loan = book("L-1")
    with pytest.raises(ValidationError) as caught:
        refer(loan, staff_alice)
    assert (
        "a referral is made only for a loan that is delinquent"
        in (caught.value.messages[0])
    )
    make_defaulted(loan)
    with pytest.raises(ValidationError) as caught:
        refer(loan, cashier_casey)
    assert caught.value.messages == [
        "You don't have permission to record legal actions."
    ]
