"""The deposits demo loads on top of the core demo, once."""

from __future__ import annotations

import pytest

from liens.choices import ClaimStatus, InstrumentType
from liens.demo_deposits import load_deposits_demo
from liens.models import DepositClaim, DepositInstrument
from tests.factories import UtilityAccountFactory

pytestmark = pytest.mark.django_db


def test_demo_deposits_load_once():
    for number in ("100002", "100004", "200001", "200002"):
        UtilityAccountFactory(number=number)
    load_deposits_demo()
    load_deposits_demo()
    assert DepositInstrument.objects.count() == 4
    bond = DepositInstrument.objects.get(instrument_type=InstrumentType.BLANKET_BOND)
    assert bond.allocations.count() == 2
    claim = DepositClaim.objects.get()
    assert claim.status == ClaimStatus.IN_NEGOTIATION
    assert claim.correspondence.count() == 2
