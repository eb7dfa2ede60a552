"""The adequacy rule: required = multiple × average of the last 12 billed
months (average rounded half up first; none: the class minimum); held =
allocations from instruments in force on the review date."""

from datetime import date
from decimal import Decimal

import pytest

from liens.choices import InstrumentStatus, InstrumentType
from liens.models import AdequacyPolicy
from liens.services.adequacy import adequacy_review_run
from tests.factories.liens_adequacy import account, bills, instrument

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 31)


def _rows(review):
    return {
        row.account.number: row
        for row in review.rows.select_related("account").order_by("account__number")
    }


def _run(actor, customer_class="all", as_of=AS_OF):
    return adequacy_review_run(actor=actor, as_of=as_of, customer_class=customer_class)


def test_blanket_bond_split_across_accounts_counts_each_allocation(staff_alice):
    a, b = account("100001"), account("100002")
    bills(a, ["150.00"] * 12, AS_OF)
    bills(b, ["50.00"] * 12, AS_OF)
    instrument(
        {a: "300.00", b: "80.00"},
        face="500.00",
        type=InstrumentType.BLANKET_BOND,
    )
    rows = _rows(_run(staff_alice))
    assert rows["100001"].held.amount == Decimal("300.00")
    assert rows["100001"].required.amount == Decimal("300.00")
    assert rows["100001"].status == "adequate"
    assert rows["100002"].held.amount == Decimal("80.00")
    assert rows["100002"].required.amount == Decimal("100.00")
    assert rows["100002"].difference.amount == Decimal("-20.00")
    assert rows["100002"].status == "under"


def test_expired_instrument_is_not_counted(staff_alice):
    a = account("100001")
    bills(a, ["100.00"] * 12, AS_OF)
    instrument({a: "150.00"}, expires_on=date(2026, 3, 30), number="OLD")
    instrument({a: "40.00"}, expires_on=date(2026, 3, 31), number="LAST-DAY")
    row = _rows(_run(staff_alice))["100001"]
    assert row.held.amount == Decimal("40.00")
    assert row.difference.amount == Decimal("-160.00")


def test_released_or_not_yet_effective_instrument_is_not_counted(staff_alice):
    a = account("100001")
    bills(a, ["10.00"], AS_OF)
    instrument({a: "25.00"}, status=InstrumentStatus.RELEASED, number="R")
    instrument({a: "35.00"}, effective_on=date(2026, 4, 1), number="LATER")
    assert _rows(_run(staff_alice))["100001"].held.amount == Decimal("0.00")


def test_fewer_than_twelve_bills_average_over_the_bills_there_are(staff_alice):
    a = account("100001")
    bills(a, ["90.00", "120.00", "60.00"], AS_OF)
    row = _rows(_run(staff_alice))["100001"]
    assert row.bill_months == 3
    assert row.average_bill.amount == Decimal("90.00")
    assert row.required.amount == Decimal("180.00")


def test_only_the_twelve_most_recent_bills_up_to_the_review_date(staff_alice):
    a = account("100001")
    # 13 bills to March 2026: the oldest (1000.00) falls out of the window.
    bills(a, ["1000.00"] + ["100.00"] * 12, AS_OF)
    # A bill for April 2026 is after the review date.
    bills(a, ["5000.00"], date(2026, 4, 1))
    row = _rows(_run(staff_alice))["100001"]
    assert row.bill_months == 12
    assert row.average_bill.amount == Decimal("100.00")
    assert row.required.amount == Decimal("200.00")


def test_no_bills_needs_the_minimum_of_its_class(staff_alice):
    account("100001", "residential")
    account("200001", "commercial")
    rows = _rows(_run(staff_alice))
    assert rows["100001"].bill_months == 0
    assert rows["100001"].average_bill.amount == Decimal("0.00")
    assert rows["100001"].required.amount == Decimal("100.00")
    assert rows["200001"].required.amount == Decimal("500.00")


def test_the_minimums_and_multiple_come_from_the_policy(staff_alice):
    policy = AdequacyPolicy.current()
    policy.multiple = Decimal("2.5")
    policy.residential_minimum = Decimal("75.50")
    policy.save()
    account("100001")
    b = account("100002")
    bills(b, ["33.33"], AS_OF)
    review = _run(staff_alice)
    rows = _rows(review)
    assert review.multiple == Decimal("2.50")
    assert rows["100001"].required.amount == Decimal("75.50")
    # 33.33 × 2.5 = 83.325 → 83.33 (half up)
    assert rows["100002"].required.amount == Decimal("83.33")


@pytest.mark.parametrize(
    ("amounts", "average", "required"),
    [
        (["100.00", "100.00", "100.01"], "100.00", "200.00"),
        (["100.00", "100.01", "100.01"], "100.01", "200.02"),
        # 100.005 rounds half up to 100.01 before doubling (not 200.01).
        (["100.00", "100.01"], "100.01", "200.02"),
        (["0.10"] * 12, "0.10", "0.20"),
        (["0.01", "0.02", "0.02", "0.02"], "0.02", "0.04"),
        (["1000.10"] * 11 + ["1000.20"], "1000.11", "2000.22"),
    ],
)
def test_average_is_rounded_half_up_to_the_cent_before_multiplying(
    staff_alice, amounts, average, required
):
    a = account("100001")
    bills(a, amounts, AS_OF)
    row = _rows(_run(staff_alice))["100001"]
    assert row.average_bill.amount == Decimal(average)
    assert row.required.amount == Decimal(required)


def test_status_under_adequate_over_and_difference_is_held_minus_required(
    staff_alice,
):
    under, even, over = account("100001"), account("100002"), account("100003")
    for acct in (under, even, over):
        bills(acct, ["60.00"] * 12, AS_OF)
    instrument({under: "119.99", even: "120.00", over: "120.01"}, face="400.00")
    review = _run(staff_alice)
    rows = _rows(review)
    assert [(n, r.status, r.difference.amount) for n, r in rows.items()] == [
        ("100001", "under", Decimal("-0.01")),
        ("100002", "adequate", Decimal("0.00")),
        ("100003", "over", Decimal("0.01")),
    ]
    assert (review.under_count, review.adequate_count, review.over_count) == (1, 1, 1)
    assert review.total_required.amount == Decimal("360.00")
    assert review.total_held.amount == Decimal("360.00")
    assert review.total_shortfall.amount == Decimal("0.01")
    assert review.total_excess.amount == Decimal("0.01")


def test_class_filter_reviews_only_that_class(staff_alice):
    account("100001", "residential")
    account("200001", "commercial")
    assert list(_rows(_run(staff_alice, "commercial"))) == ["200001"]
    assert list(_rows(_run(staff_alice, "residential"))) == ["100001"]


def test_closed_account_is_reviewed_only_while_it_holds_a_deposit(staff_alice):
    holding = account("100001", status="closed")
    account("100002", status="closed")
    # The same rule applies to it: its last bills set what it should hold.
    bills(holding, ["30.00"], AS_OF)
    instrument({holding: "80.00"}, type=InstrumentType.CASH)
    row = _rows(_run(staff_alice))
    assert list(row) == ["100001"]
    assert row["100001"].status == "over"


def test_instruments_expiring_within_the_window_are_listed(staff_alice):
    a = account("100001")
    soon = instrument({a: "10.00"}, expires_on=date(2026, 5, 30), number="SOON")
    instrument({a: "10.00"}, expires_on=date(2026, 5, 31), number="LATER")
    instrument({a: "10.00"}, type=InstrumentType.CASH, number="CASH")
    instrument({a: "10.00"}, expires_on=date(2026, 3, 1), number="GONE")
    review = _run(staff_alice)
    assert [(e.instrument_id, e.expires_on) for e in review.expiring.all()] == [
        (soon.pk, date(2026, 5, 30))
    ]
