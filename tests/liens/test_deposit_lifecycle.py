"""The lifecycle of an instrument: allocate later, renew, release, refund with
interest, apply to a final bill, redeem; each a recorded transition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from liens.choices import InstrumentStatus, InstrumentType
from liens.models import DepositPolicy, DepositRedemption
from liens.services.deposits import (
    deposit_allocate,
    deposit_apply_to_final_bill,
    deposit_change_allocation,
    deposit_redeem,
    deposit_refund,
    deposit_release,
    deposit_renew,
)
from portal.choices import AccountStatus
from portal.transitions import TransitionRefused
from tests.factories import UtilityAccountFactory
from tests.factories.liens_deposits import make_deposit

pytestmark = pytest.mark.django_db


def test_adding_an_account_later_cannot_exceed_the_face_amount(staff_alice):
    one, two = UtilityAccountFactory(), UtilityAccountFactory(number="710002")
    bond = make_deposit(
        instrument_type=InstrumentType.BLANKET_BOND,
        face="1000.00",
        allocations=[(one, "700.00")],
    )
    with pytest.raises(ValidationError) as caught:
        deposit_allocate(
            actor=staff_alice, instrument=bond, account=two, amount="300.01"
        )
    assert caught.value.message_dict == {
        "amount": [
            "The allocations add up to $1,000.01, more than the face amount of $1,000.00."
        ]
    }
    deposit_allocate(
        actor=staff_alice, instrument=bond, account="710002", amount="300.00"
    )
    assert bond.allocations.count() == 2


def test_raising_a_share_cannot_exceed_the_face_amount(staff_alice):
    one, two = UtilityAccountFactory(), UtilityAccountFactory()
    bond = make_deposit(
        instrument_type=InstrumentType.BLANKET_BOND,
        face="1000.00",
        allocations=[(one, "700.00"), (two, "300.00")],
    )
    with pytest.raises(ValidationError):
        deposit_change_allocation(
            actor=staff_alice, instrument=bond, account=one, amount="700.01"
        )
    changed = deposit_change_allocation(
        actor=staff_alice, instrument=bond, account=one, amount="650.00"
    )
    assert changed.amount.amount == Decimal("650.00")


def test_renewal_keeps_the_old_expiry_in_history(staff_alice):
    loc = make_deposit(
        instrument_type=InstrumentType.LETTER_OF_CREDIT,
        expires_on=date(2026, 6, 30),
    )
    deposit_renew(actor=staff_alice, instrument=loc, new_expires_on=date(2027, 6, 30))
    loc.refresh_from_db()
    assert loc.expires_on == date(2027, 6, 30)
    assert loc.renewed_on is not None
    expiries = [
        h.expires_on for h in loc.history.order_by("history_date", "history_id")
    ]
    assert expiries[0] == date(2026, 6, 30)
    assert expiries[-1] == date(2027, 6, 30)
    assert loc.history.latest("history_date").history_change_reason == (
        "Renewed: expiry 2026-06-30 → 2027-06-30"
    )


def test_renewal_to_an_earlier_or_same_expiry_is_refused(staff_alice):
    loc = make_deposit(
        instrument_type=InstrumentType.LETTER_OF_CREDIT, expires_on=date(2026, 6, 30)
    )
    with pytest.raises(ValidationError) as caught:
        deposit_renew(
            actor=staff_alice, instrument=loc, new_expires_on=date(2026, 6, 30)
        )
    assert caught.value.message_dict == {
        "new_expires_on": [
            "The new expiry date must be after the current one, June 30, 2026."
        ]
    }


def test_cash_is_not_renewed(staff_alice):
    cash = make_deposit()
    assert not cash.can_renew(staff_alice)
    with pytest.raises(TransitionRefused):
        deposit_renew(
            actor=staff_alice, instrument=cash, new_expires_on=date(2030, 1, 1)
        )


def test_refund_pays_simple_interest_days_actual_over_365(staff_alice):
    DepositPolicy.objects.update_or_create(
        pk=1, defaults={"pays_interest": True, "annual_rate": Decimal("2.000")}
    )
    cash = make_deposit(face="750.00", effective_on=date(2025, 1, 1))
    refunded = deposit_refund(
        actor=staff_alice, instrument=cash, refunded_on=date(2025, 7, 15)
    )
    # 750.00 × 2% × 195/365 = 8.0136…
    assert refunded.status == InstrumentStatus.REFUNDED
    assert refunded.refunded_on == date(2025, 7, 15)
    assert refunded.refund_interest.amount == Decimal("8.01")


def test_refund_interest_rounds_half_up(staff_alice):
    DepositPolicy.objects.update_or_create(
        pk=1, defaults={"pays_interest": True, "annual_rate": Decimal("1.000")}
    )
    cash = make_deposit(face="182.50", effective_on=date(2025, 1, 1))
    # 182.50 × 1% × 73/365 = 0.365 exactly → 0.37
    refunded = deposit_refund(
        actor=staff_alice, instrument=cash, refunded_on=date(2025, 3, 15)
    )
    assert refunded.refund_interest.amount == Decimal("0.37")


def test_no_interest_when_the_ordinance_pays_none(staff_alice):
    DepositPolicy.objects.update_or_create(pk=1, defaults={"pays_interest": False})
    cash = make_deposit(face="750.00")
    refunded = deposit_refund(
        actor=staff_alice, instrument=cash, refunded_on=date(2025, 7, 15)
    )
    assert refunded.refund_interest.amount == Decimal("0.00")


def test_a_bond_is_released_not_refunded(staff_alice):
    bond = make_deposit(
        instrument_type=InstrumentType.INDEMNITY_BOND, issuer="Acme Indemnity"
    )
    assert not bond.can_refund(staff_alice)
    with pytest.raises(TransitionRefused):
        deposit_refund(actor=staff_alice, instrument=bond)
    released = deposit_release(
        actor=staff_alice, instrument=bond, released_on=date(2025, 5, 1)
    )
    assert (released.status, released.released_on) == (
        InstrumentStatus.RELEASED,
        date(2025, 5, 1),
    )
    with pytest.raises(TransitionRefused):
        deposit_release(actor=staff_alice, instrument=released)


def test_apply_to_final_bill_needs_a_final_billed_account_and_stays_within_its_share(
    staff_alice,
):
    closing = UtilityAccountFactory(number="720001")
    other = UtilityAccountFactory(number="720002")
    bond = make_deposit(
        instrument_type=InstrumentType.BLANKET_BOND,
        face="1000.00",
        allocations=[(closing, "400.00"), (other, "600.00")],
    )
    assert not bond.can_apply_to_final_bill(staff_alice)
    closing.status = AccountStatus.FINAL_BILLED
    closing.save()
    assert bond.can_apply_to_final_bill(staff_alice)
    with pytest.raises(ValidationError) as caught:
        deposit_apply_to_final_bill(
            actor=staff_alice, instrument=bond, account=closing, amount="400.01"
        )
    assert caught.value.message_dict == {
        "amount": [
            "$400.01 is more than the $400.00 this deposit holds for account 720001."
        ]
    }
    with pytest.raises(ValidationError):
        deposit_apply_to_final_bill(
            actor=staff_alice, instrument=bond, account=other, amount="10.00"
        )
    deposit_apply_to_final_bill(
        actor=staff_alice,
        instrument=bond,
        account=closing,
        amount="400.00",
        applied_on=date(2025, 9, 1),
    )
    bond.refresh_from_db()
    # The other account is still secured, so the bond stays held.
    assert bond.status == InstrumentStatus.HELD
    assert bond.applied_on == date(2025, 9, 1)
    assert [a.account.number for a in bond.allocations.all()] == ["720002"]


def test_cash_applied_in_full_is_applied(staff_alice):
    account = UtilityAccountFactory(status=AccountStatus.FINAL_BILLED)
    cash = make_deposit(face="250.00", allocations=[(account, "250.00")])
    deposit_apply_to_final_bill(
        actor=staff_alice, instrument=cash, account=account, amount="250.00"
    )
    cash.refresh_from_db()
    assert cash.status == InstrumentStatus.APPLIED


def test_cd_redemption_with_an_early_redemption_penalty(staff_alice):
    cd = make_deposit(
        instrument_type=InstrumentType.CERTIFICATE_OF_DEPOSIT,
        face="5000.00",
        issuer="First Riverton Bank",
        expires_on=date(2027, 1, 1),
    )
    redemption = deposit_redeem(
        actor=staff_alice,
        instrument=cd,
        redeemed_on=date(2025, 10, 1),
        proceeds="5062.50",
        early_redemption_penalty="125.75",
    )
    assert redemption.net.amount == Decimal("4936.75")
    assert redemption.posted_by == staff_alice
    cd.refresh_from_db()
    assert (cd.status, cd.redeemed_on) == (InstrumentStatus.REDEEMED, date(2025, 10, 1))


def test_a_penalty_over_the_proceeds_is_refused(staff_alice):
    cd = make_deposit(instrument_type=InstrumentType.UTILITY_BOND, face="1000.00")
    with pytest.raises(ValidationError) as caught:
        deposit_redeem(
            actor=staff_alice,
            instrument=cd,
            redeemed_on=date(2025, 10, 1),
            proceeds="100.00",
            early_redemption_penalty="100.01",
        )
    assert caught.value.message_dict == {
        "early_redemption_penalty": [
            "The penalty ($100.01) can't be more than the proceeds ($100.00)."
        ]
    }
    assert not DepositRedemption.objects.exists()


def test_a_surety_bond_cannot_be_redeemed(staff_alice):
    bond = make_deposit(
        instrument_type=InstrumentType.SURETY_BOND,
        issuer="Hudson Surety Co.",
        expires_on=date(2027, 1, 1),
    )
    verdict = bond.can_redeem(staff_alice)
    assert not verdict
    assert verdict.reason == (
        f"Only a certificate of deposit or a utility bond is redeemed; {bond} is a surety bond."
    )
    with pytest.raises(TransitionRefused):
        deposit_redeem(
            actor=staff_alice,
            instrument=bond,
            redeemed_on=date(2025, 10, 1),
            proceeds="500.00",
            early_redemption_penalty="0.00",
        )
    assert not DepositRedemption.objects.exists()
