"""Measure limits are judged again at approval, under the program's lock:
applications entered side by side for the same premise can't both be
approved. Earlier applications count once approved or paid; pending, denied
and cancelled ones, and the application being judged, do not."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from programs import services as svc
from programs.selectors import budget_position, previous_quantity
from tests.factories import MeasureFactory, PropertyFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db

ONE_FURNACE = (
    "FURNACE: One per premise: this premise already has 1 previous "
    "installation(s) of this measure."
)


@pytest.fixture
def furnace(program):
    return MeasureFactory(
        program=program,
        code="FURNACE",
        amount=Decimal("500.00"),
        limit_kind="one_per_premise",
    )


def reviewed(app, staff):
    return svc.rebate_start_review(actor=staff, application=app)


def test_a_second_furnace_for_the_same_premise_entered_alongside_is_refused_at_approval(
    apply, program, furnace, staff_alice, supervisor_bob
):
    premise = PropertyFactory()
    first = apply(
        account=UtilityAccountFactory(service_property=premise), the_measure=furnace
    )
    second = apply(  # entered before the first was approved: nothing counted yet
        account=UtilityAccountFactory(service_property=premise), the_measure=furnace
    )
    first = svc.rebate_approve(
        actor=supervisor_bob, application=reviewed(first, staff_alice)
    )
    assert first.status == "approved"
    second = reviewed(second, staff_alice)
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(actor=supervisor_bob, application=second)
    assert caught.value.message_dict == {"lines": [ONE_FURNACE]}
    second.refresh_from_db()
    assert second.status == "in_review"
    assert budget_position(program).committed == Decimal("500.00")


def test_the_same_account_without_a_known_property_counts_as_one_premise(
    apply, furnace, staff_alice, supervisor_bob
):
    account = UtilityAccountFactory(service_property=None)
    first, second = (apply(account=account, the_measure=furnace) for _ in range(2))
    svc.rebate_approve(actor=supervisor_bob, application=reviewed(first, staff_alice))
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(
            actor=supervisor_bob, application=reviewed(second, staff_alice)
        )
    assert caught.value.message_dict == {"lines": [ONE_FURNACE]}


def test_a_cancelled_approval_no_longer_counts(
    apply, furnace, staff_alice, supervisor_bob
):
    account = UtilityAccountFactory()
    first, second = (apply(account=account, the_measure=furnace) for _ in range(2))
    first = svc.rebate_approve(
        actor=supervisor_bob, application=reviewed(first, staff_alice)
    )
    svc.rebate_cancel(actor=supervisor_bob, application=first, reason="Withdrawn.")
    second = svc.rebate_approve(
        actor=supervisor_bob, application=reviewed(second, staff_alice)
    )
    assert second.status == "approved"


def test_a_lifetime_limit_counts_what_was_approved_in_between(
    program, apply, staff_alice, supervisor_bob
):
    attic = MeasureFactory(
        program=program,
        code="ATTIC",
        incentive_kind="per_unit",
        amount=Decimal("0.25"),
        limit_kind="lifetime_limit",
        lifetime_max=Decimal("2000"),
    )
    account = UtilityAccountFactory()
    first = apply(quantity="1500", account=account, the_measure=attic)
    second = apply(quantity="1000", account=account, the_measure=attic)
    svc.rebate_approve(actor=supervisor_bob, application=reviewed(first, staff_alice))
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(
            actor=supervisor_bob, application=reviewed(second, staff_alice)
        )
    assert caught.value.message_dict == {
        "lines": [
            "ATTIC: Lifetime limit: 1500 previous + 1000 requested = 2500, above "
            "the maximum of 2000 (at most 500 more can be approved)."
        ]
    }


def test_previous_quantity_counts_approved_and_paid_only_and_never_the_one_judged(
    apply, furnace, staff_alice, supervisor_bob
):
    account = UtilityAccountFactory()
    pending = apply(account=account, the_measure=furnace)
    denied = reviewed(apply(account=account, the_measure=furnace), staff_alice)
    svc.rebate_deny(actor=supervisor_bob, application=denied, reasons="Duplicate.")
    assert previous_quantity(furnace, account) == Decimal("0")
    approved = svc.rebate_approve(
        actor=supervisor_bob, application=reviewed(pending, staff_alice)
    )
    assert previous_quantity(furnace, account) == Decimal("1")
    assert previous_quantity(furnace, account, exclude=approved) == Decimal("0")


def test_an_approval_refused_for_eligibility_and_a_limit_names_both(
    apply, furnace, staff_alice, supervisor_bob
):
    from portal.services import utility_account_update

    account = UtilityAccountFactory()
    first, second = (apply(account=account, the_measure=furnace) for _ in range(2))
    svc.rebate_approve(actor=supervisor_bob, application=reviewed(first, staff_alice))
    second = reviewed(second, staff_alice)
    utility_account_update(
        actor=staff_alice, account=account, reason="Moved out", status="closed"
    )
    with pytest.raises(ValidationError) as caught:
        svc.rebate_approve(actor=supervisor_bob, application=second)
    assert caught.value.message_dict == {
        "account": [
            "Account is not in good standing (it has a delinquent balance or "
            "was written off as bad debt)."
        ],
        "lines": [ONE_FURNACE],
    }
