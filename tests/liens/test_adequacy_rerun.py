"""Reviews are recorded and re-runnable; follow-ups are opened once per
account (or instrument) and kind, and closed by staff."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from liens.models import AdequacyReview, DepositFollowUp
from liens.services.adequacy import adequacy_review_run, deposit_follow_up_close
from portal.transitions import TransitionRefused
from tests.factories.liens_adequacy import account, bills, instrument

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 31)


@pytest.fixture
def book(db):
    under, over = account("100001"), account("100002")
    bills(under, ["100.00"] * 12, AS_OF)
    bills(over, ["10.00"] * 12, AS_OF)
    bond = instrument(
        {under: "50.00", over: "70.00"}, expires_on=date(2026, 4, 30), number="S-9"
    )
    return under, over, bond


def _figures(review):
    return [
        (r.account.number, r.required.amount, r.held.amount, r.status)
        for r in review.rows.order_by("account__number")
    ]


def test_a_second_run_is_a_new_review_with_the_same_figures(staff_alice, book):
    first = adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    second = adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    assert first.pk != second.pk
    assert AdequacyReview.objects.count() == 2
    assert _figures(first) == _figures(second)
    assert _figures(first) == [
        ("100001", Decimal("200.00"), Decimal("50.00"), "under"),
        ("100002", Decimal("20.00"), Decimal("70.00"), "over"),
    ]
    assert (
        first.history.order_by("-history_id")
        .first()
        .history_change_reason.startswith(
            "Deposit adequacy review of all accounts as of March 31, 2026"
        )
    )


def test_follow_ups_are_opened_once_per_account_and_kind(staff_alice, book):
    under, over, bond = book
    first = adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    follow_ups = DepositFollowUp.objects.order_by("kind")
    assert [
        (
            f.kind,
            f.account_id,
            f.instrument_id,
            f.review_id,
            f.amount.amount if f.amount else None,
        )
        for f in follow_ups
    ] == [
        ("collect", under.pk, None, first.pk, Decimal("150.00")),
        ("refund", over.pk, None, first.pk, Decimal("50.00")),
        ("renew", None, bond.pk, first.pk, None),
    ]


def test_a_closed_follow_up_is_opened_again_by_the_next_run(staff_alice, book):
    adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    collect = DepositFollowUp.objects.get(kind="collect")
    deposit_follow_up_close(
        actor=staff_alice, follow_up=collect, action="done", note="Called; paying"
    )
    collect.refresh_from_db()
    assert (collect.status, collect.closed_by, collect.note) == (
        "done",
        staff_alice,
        "Called; paying",
    )
    assert collect.closed_at is not None
    second = adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    assert DepositFollowUp.objects.get(kind="collect", status="open").review == second


def test_a_closed_follow_up_cannot_be_closed_again(staff_alice, book):
    adequacy_review_run(actor=staff_alice, as_of=AS_OF, customer_class="all")
    refund = DepositFollowUp.objects.get(kind="refund")
    deposit_follow_up_close(actor=staff_alice, follow_up=refund, action="dismiss")
    with pytest.raises(TransitionRefused, match="dismissed; it can't be marked done"):
        deposit_follow_up_close(actor=staff_alice, follow_up=refund, action="done")


def test_review_refused_without_permission_and_for_bad_input(
    cashier_casey, staff_alice, book
):
    with pytest.raises(TransitionRefused, match="permission to run adequacy"):
        adequacy_review_run(actor=cashier_casey, as_of=AS_OF, customer_class="all")
    with pytest.raises(ValidationError) as exc:
        adequacy_review_run(
            actor=staff_alice, as_of=date(2999, 1, 1), customer_class="gold"
        )
    assert exc.value.message_dict == {
        "customer_class": ["Choose one of: residential, commercial, all."],
        "as_of": ["The review date can't be in the future."],
    }
    assert AdequacyReview.objects.count() == 0
