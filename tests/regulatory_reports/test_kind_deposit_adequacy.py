"""Deposit adequacy as a report kind for 2026-Q3 (as of September 30):
required = 2 × the average of the last 12 bills (average rounded first; no
bills: the class minimum), held = allocations from instruments in force.

- 100001: bills of $150.00 → $300.00 required, $300.00 held: adequate (an
  October bill of $1,000.00, after the period, doesn't count).
- 100002: bills of $50.00 → $100.00, $80.00 held (a $40.00 bond expired
  September 29 doesn't count): $20.00 short.
- 100003: commercial, no bills → $500.00 minimum, nothing held: $500.00 short.
- 100004: bills $100.00, $100.01, $100.00 → average $100.00, $200.00
  required, $250.00 held: $50.00 over."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from liens.choices import InstrumentType
from portal.models import BillingPeriod
from regulatory_reports.kinds import kind_for
from tests.factories.liens_adequacy import account, bills, instrument
from tests.regulatory_reports.kind_helpers import (
    assert_money_columns,
    assert_totals_are_the_sums,
    generate,
    table,
    workbook,
)

pytestmark = pytest.mark.django_db

END = date(2026, 9, 30)
TODAY = date(2026, 10, 15)
EXPECTED = {
    "as_of": "2026-09-30",
    "multiple": "2",
    "months": 12,
    "accounts": 4,
    "under": 2,
    "over": 1,
    "adequate": 1,
    "required": "1100.00",
    "held": "630.00",
    "shortfall": "520.00",
    "excess": "50.00",
}


@pytest.fixture
def accounts():
    a, b = account("100001"), account("100002")
    c, d = account("100003", "commercial"), account("100004")
    bills(a, ["150.00"] * 12, END)
    BillingPeriod.objects.create(
        account=a, period_start=date(2026, 10, 1), billed_amount=Decimal("1000.00")
    )
    bills(b, ["50.00"] * 12, END)
    bills(d, ["100.00", "100.01", "100.00"], END)
    instrument(
        {a: "300.00", b: "80.00"}, face="400.00", type=InstrumentType.BLANKET_BOND
    )
    instrument({b: "40.00"}, expires_on=date(2026, 9, 29), number="OLD")
    instrument({d: "250.00"}, number="B-2")
    return {x.number: x.customer.display_name for x in (a, b, c, d)}


def test_each_account_held_against_required_and_the_shortfalls(accounts):
    with time_machine.travel(TODAY, tick=False):
        result = kind_for("deposit_adequacy").build(start=date(2026, 7, 1), end=END)
    assert result.figures == EXPECTED
    found = {s.key: s.rows for s in result.sections}
    assert [
        (r["account"], r["bill_months"], r["average_bill"], r["required"])
        + (r["held"], r["difference"], r["status"])
        for r in found["accounts"]
    ] == [
        ("100001", 12, Decimal("150.00"), Decimal("300.00"))
        + (Decimal("300.00"), Decimal("0.00"), "Adequately secured"),
        ("100002", 12, Decimal("50.00"), Decimal("100.00"))
        + (Decimal("80.00"), Decimal("-20.00"), "Under-secured"),
        ("100003", 0, Decimal("0.00"), Decimal("500.00"))
        + (Decimal("0.00"), Decimal("-500.00"), "Under-secured"),
        ("100004", 3, Decimal("100.00"), Decimal("200.00"))
        + (Decimal("250.00"), Decimal("50.00"), "Over-secured"),
    ]
    assert [
        (r["account"], r["customer"], r["class"], r["shortfall"])
        for r in found["shortfalls"]
    ] == [
        ("100002", accounts["100002"], "Residential", Decimal("20.00")),
        ("100003", accounts["100003"], "Commercial", Decimal("500.00")),
    ]


def test_deposit_adequacy_through_the_api_and_its_workbook(
    accounts, supervisor_bob, api_client_for
):
    with time_machine.travel(TODAY, tick=False):
        client = api_client_for(supervisor_bob)
        body = generate(client, "deposit_adequacy")
        book = workbook(client, body["id"])
    assert {k: body[k] for k in EXPECTED} == EXPECTED
    assert book.sheetnames == ["Summary", "Accounts", "Shortfalls"]
    t = table(book["Accounts"])
    assert t.header == [
        "Account",
        "Customer",
        "Class",
        "Bill months",
        "Average bill",
        "Required",
        "Held",
        "Held less required",
        "Status",
    ]
    assert [r[3:8] for r in t.rows] == [
        [12, 150, 300, 300, 0],
        [12, 50, 100, 80, -20],
        [0, 0, 500, 0, -500],
        [3, 100, 200, 250, 50],
    ]
    assert t.totals == ["Total", None, None, None, None, 1100, 630, -470, None]
    assert_totals_are_the_sums(t, [5, 6, 7])
    assert_money_columns(t, [4, 5, 6, 7])
    shortfalls = table(book["Shortfalls"])
    assert [r[0] for r in shortfalls.rows] == ["100002", "100003"]
    assert shortfalls.totals == ["Total", None, None, 600, 80, 520]
    assert_totals_are_the_sums(shortfalls, [3, 4, 5])
    assert_money_columns(shortfalls, [3, 4, 5])
