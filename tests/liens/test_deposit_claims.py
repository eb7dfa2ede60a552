"""A claim on a bond: filed, written about, negotiated, settled, recovered, closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from liens.choices import ClaimStatus, CorrespondenceDirection, InstrumentType
from liens.services.claims import (
    claim_add_correspondence,
    claim_close,
    claim_deny,
    claim_file,
    claim_negotiate,
    claim_record_recovery,
    claim_settle,
)
from portal.transitions import TransitionRefused
from tests.factories import UtilityAccountFactory
from tests.factories.liens_deposits import make_deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bond():
    return make_deposit(
        instrument_type=InstrumentType.SURETY_BOND,
        issuer="Hudson Surety Co.",
        face="2000.00",
        expires_on=date(2027, 1, 1),
        allocations=[(UtilityAccountFactory(number="730001"), "2000.00")],
    )


def test_a_bond_claim_through_settlement_and_recovery(staff_alice, bond):
    claim = claim_file(
        actor=staff_alice,
        instrument=bond,
        account="730001",
        amount_claimed="1843.20",
        filed_on=date(2025, 3, 1),
    )
    assert claim.status == ClaimStatus.FILED
    claim_add_correspondence(
        actor=staff_alice,
        claim=claim,
        on=date(2025, 3, 2),
        direction=CorrespondenceDirection.OUTGOING,
        summary="Demand letter with the final bill.",
    )
    claim = claim_negotiate(actor=staff_alice, claim=claim, on=date(2025, 3, 20))
    assert claim.status == ClaimStatus.IN_NEGOTIATION
    claim = claim_settle(
        actor=staff_alice, claim=claim, settlement_amount="1500.00", on=date(2025, 4, 1)
    )
    assert (claim.status, claim.settlement_amount.amount) == (
        ClaimStatus.SETTLED,
        Decimal("1500.00"),
    )
    claim = claim_record_recovery(actor=staff_alice, claim=claim, amount="1000.00")
    with pytest.raises(ValidationError) as caught:
        claim_record_recovery(actor=staff_alice, claim=claim, amount="500.01")
    assert caught.value.message_dict == {
        "amount": [
            "$500.01 would recover more than the settlement: $1,500.00 was agreed and "
            "$1,000.00 is already recovered, so at most $500.00 can be recorded."
        ]
    }
    claim = claim_record_recovery(actor=staff_alice, claim=claim, amount="500.00")
    assert claim.amount_recovered.amount == Decimal("1500.00")
    assert not claim.can_record_recovery(staff_alice)
    claim = claim_close(actor=staff_alice, claim=claim, on=date(2025, 5, 1))
    assert claim.status == ClaimStatus.CLOSED
    reasons = [
        h.history_change_reason
        for h in claim.history.order_by("history_date", "history_id")
    ]
    assert reasons == [
        "Claim filed for $1,843.20",
        "Negotiation with the insurer or surety opened",
        "Settled for $1,500.00",
        "Recovered $1,000.00",
        "Recovered $500.00",
        "Claim closed",
    ]
    assert claim.correspondence.count() == 1


def test_claim_limits(staff_alice, bond):
    with pytest.raises(ValidationError) as caught:
        claim_file(
            actor=staff_alice,
            instrument=bond,
            account="730001",
            amount_claimed="2000.01",
        )
    assert list(caught.value.message_dict) == ["amount_claimed"]
    claim = claim_file(
        actor=staff_alice, instrument=bond, account="730001", amount_claimed="800.00"
    )
    with pytest.raises(ValidationError) as caught:
        claim_settle(actor=staff_alice, claim=claim, settlement_amount="800.01")
    assert caught.value.message_dict == {
        "settlement_amount": [
            "The settlement ($800.01) can't be more than the amount claimed ($800.00)."
        ]
    }
    with pytest.raises(TransitionRefused):
        claim_close(actor=staff_alice, claim=claim)


def test_a_denied_claim_keeps_its_reason_and_goes_no_further(staff_alice, bond):
    claim = claim_file(
        actor=staff_alice, instrument=bond, account="730001", amount_claimed="300.00"
    )
    with pytest.raises(ValidationError):
        claim_deny(actor=staff_alice, claim=claim, reason="  ")
    claim = claim_deny(
        actor=staff_alice, claim=claim, reason="Bond lapsed before the loss."
    )
    assert claim.status == ClaimStatus.DENIED
    assert claim.denial_reason == "Bond lapsed before the loss."
    with pytest.raises(TransitionRefused):
        claim_settle(actor=staff_alice, claim=claim, settlement_amount="10.00")


def test_no_claim_against_cash(staff_alice):
    cash = make_deposit()
    assert not cash.can_file_claim(staff_alice)
    with pytest.raises(TransitionRefused):
        claim_file(
            actor=staff_alice,
            instrument=cash,
            account=cash.allocations.get().account,
            amount_claimed="10.00",
        )


def test_a_cashier_cannot_file_claims(cashier_casey, bond):
    assert not bond.can_file_claim(cashier_casey)
