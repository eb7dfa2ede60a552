"""The liens demo: a recorded lien for each demo loan that needs one, and a
loan paid off at a sale with its satisfaction pending; run twice, the same."""

from datetime import date

import pytest
import time_machine

from liens.choices import LienStatus
from liens.demo_liens import load_liens_demo
from liens.models import Lien, PayoffRequest
from tests.factories.liens_liens import loan_on_property
from tests.factories.portal import PropertyFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_the_demo_records_liens_and_leaves_one_satisfaction_pending():
    needing = loan_on_property(number="EE-DEMO-0001", account_number="100002")
    UtilityAccountFactory(number="100001", service_property=PropertyFactory())
    load_liens_demo()
    load_liens_demo()
    statuses = {
        lien.loan.number: lien.status for lien in Lien.objects.select_related("loan")
    }
    assert statuses == {
        needing.number: LienStatus.RECORDED,
        "EE-DEMO-0009": LienStatus.SATISFACTION_PENDING,
    }
    assert PayoffRequest.objects.count() == 1
