"""Taking a deposit: what is refused, on which field, and that nothing is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from liens.choices import InstrumentStatus, InstrumentType
from liens.models import DepositAllocation, DepositInstrument
from liens.services.deposits import deposit_create
from portal.transitions import TransitionRefused
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def _create(actor, **overrides):
    fields = {
        "instrument_type": InstrumentType.BLANKET_BOND,
        "issuer": "Hudson Surety Co.",
        "instrument_number": "BB-1001",
        "face_amount": Decimal("1000.00"),
        "effective_on": date(2025, 1, 1),
        "expires_on": date(2026, 12, 31),
        "allocations": [],
    }
    fields.update(overrides)
    return deposit_create(actor=actor, **fields)


def _refusal(actor, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _create(actor, **overrides)
    assert DepositInstrument.objects.count() == 0
    assert DepositAllocation.objects.count() == 0
    return caught.value.message_dict


def test_a_blanket_bond_is_split_across_two_accounts(staff_alice):
    one = UtilityAccountFactory(number="700001")
    UtilityAccountFactory(number="700002")
    bond = _create(staff_alice, allocations=[(one, "600.00"), ("700002", "400.00")])
    assert bond.status == InstrumentStatus.HELD
    shares = {a.account.number: a.amount.amount for a in bond.allocations.all()}
    assert shares == {"700001": Decimal("600.00"), "700002": Decimal("400.00")}


def test_allocations_over_the_face_amount_are_refused(staff_alice):
    one, two = UtilityAccountFactory(), UtilityAccountFactory()
    errors = _refusal(staff_alice, allocations=[(one, "600.00"), (two, "400.01")])
    assert errors["allocations"] == [
        "The allocations add up to $1,000.01, more than the face amount of $1,000.00."
    ]


def test_an_unknown_account_is_named_on_its_allocation(staff_alice):
    one = UtilityAccountFactory()
    errors = _refusal(staff_alice, allocations=[(one, "100.00"), ("123999", "50.00")])
    assert errors == {"allocations.1.account": ["There is no account 123999."]}


def test_an_account_listed_twice_is_refused(staff_alice):
    one = UtilityAccountFactory(number="700010")
    errors = _refusal(staff_alice, allocations=[(one, "100.00"), ("700010", "50.00")])
    assert errors == {
        "allocations.1.account": [
            "Account 700010 is listed twice; give it one allocation."
        ]
    }


def test_an_expiry_before_the_effective_date_is_refused(staff_alice):
    one = UtilityAccountFactory()
    errors = _refusal(
        staff_alice, expires_on=date(2024, 12, 31), allocations=[(one, "10.00")]
    )
    assert errors == {
        "expires_on": [
            "The expiry date (December 31, 2024) is before the effective date "
            "(January 1, 2025)."
        ]
    }


@pytest.mark.parametrize(
    "kind",
    [
        InstrumentType.LETTER_OF_CREDIT,
        InstrumentType.CERTIFICATE_OF_DEPOSIT,
        InstrumentType.SURETY_BOND,
    ],
)
def test_term_instruments_need_an_expiry(staff_alice, kind):
    one = UtilityAccountFactory()
    errors = _refusal(
        staff_alice, instrument_type=kind, expires_on=None, allocations=[(one, "10.00")]
    )
    assert list(errors) == ["expires_on"]
    assert errors["expires_on"][0].endswith(
        "runs for a term; give the date it expires."
    )


def test_cash_needs_no_expiry(staff_alice):
    one = UtilityAccountFactory()
    cash = _create(
        staff_alice,
        instrument_type=InstrumentType.CASH,
        issuer="",
        expires_on=None,
        allocations=[(one, "1000.00")],
    )
    assert cash.expires_on is None


def test_sub_cent_and_zero_amounts_are_refused_on_their_fields(staff_alice):
    one = UtilityAccountFactory()
    errors = _refusal(staff_alice, face_amount="0.00", allocations=[(one, "10.005")])
    assert errors["face_amount"] == ["The amount must be more than $0.00."]
    assert errors["allocations.0.amount"] == [
        "Amounts are in dollars and cents: '10.005' has more than two decimal places."
    ]


def test_a_deposit_must_secure_an_account(staff_alice):
    errors = _refusal(staff_alice, allocations=[])
    assert errors == {"allocations": ["Allocate the deposit to at least one account."]}


def test_someone_without_the_deposit_permission_is_refused(cashier_casey):
    one = UtilityAccountFactory()
    with pytest.raises(TransitionRefused):
        _create(cashier_casey, allocations=[(one, "10.00")])
    assert DepositInstrument.objects.count() == 0
