"""Demo data of the adequacy part (the lead wires it into the demo loader):
the policy, a cash deposit and a blanket bond on the demo accounts, one
review run as of today, and a deposit decision waiting for approval for the
demo account with a delinquent bill (100005). Safe to run twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from liens.choices import InstrumentType
from liens.models import (
    AdequacyPolicy,
    AdequacyReview,
    DepositAllocation,
    DepositDecision,
    DepositInstrument,
)
from liens.services.adequacy import adequacy_review_run
from liens.services.decisions import deposit_decision_propose
from portal.audit import audit_context, get_system_user
from portal.models import UtilityAccount


def _user(username: str):  # noqa: ANN202
    return get_user_model().objects.filter(username=username).first()


def load_adequacy_demo() -> None:
    AdequacyPolicy.current()
    staff = _user("alice") or get_system_user()
    accounts = {a.number: a for a in UtilityAccount.objects.order_by("number")[:6]}
    today = timezone.localdate()
    if (
        accounts
        and not DepositInstrument.objects.filter(
            instrument_number__startswith="DEMO-"
        ).exists()
    ):
        with audit_context(user=staff, reason="Demo deposits"):
            numbers = list(accounts)
            cash = DepositInstrument.objects.create(
                instrument_type=InstrumentType.CASH,
                instrument_number="DEMO-CASH-1",
                face_amount=Decimal("150.00"),
                effective_on=today - timedelta(days=400),
                holder=accounts[numbers[0]].customer,
                created_by=staff,
            )
            DepositAllocation.objects.create(
                instrument=cash, account=accounts[numbers[0]], amount=Decimal("150.00")
            )
            if len(numbers) > 2:
                bond = DepositInstrument.objects.create(
                    instrument_type=InstrumentType.BLANKET_BOND,
                    issuer="Hudson Valley Surety Co.",
                    instrument_number="DEMO-BB-1",
                    face_amount=Decimal("1000.00"),
                    effective_on=today - timedelta(days=330),
                    expires_on=today + timedelta(days=35),
                    holder=accounts[numbers[1]].customer,
                    created_by=staff,
                )
                for number, amount in ((numbers[1], "400.00"), (numbers[2], "250.00")):
                    DepositAllocation.objects.create(
                        instrument=bond,
                        account=accounts[number],
                        amount=Decimal(amount),
                    )
    if not AdequacyReview.objects.exists():
        adequacy_review_run(actor=staff, as_of=today, customer_class="all")
    owing = (
        UtilityAccount.objects.filter(
            delinquent_balance__gt=0, turned_to_bad_debt=False
        )
        .order_by("number")
        .first()
    )
    if owing is not None and not DepositDecision.objects.filter(account=owing).exists():
        deposit_decision_propose(
            actor=staff,
            account=owing,
            deposit_required=Decimal("200.00"),
            instrument_type=InstrumentType.CASH,
            note="Asked for new service at a second address.",
        )
