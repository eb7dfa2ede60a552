"""The lien register as a report kind for February 2026: liens standing at
the end (L-1 $10,000.00, L-2 $7,500.50), subordinated in it (L-2), satisfied
in it (L-3 $6,000.00); L-4 not yet recorded is in no group."""

from datetime import date

import pytest
import time_machine

from regulatory_reports.kinds import kind_for
from tests.liens.test_lien_register import liens  # noqa: F401 - the fixture
from tests.regulatory_reports.kind_helpers import (
    assert_money_columns,
    assert_totals_are_the_sums,
    generate,
    table,
    workbook,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
EXPECTED = {
    "as_of": "2026-02-28",
    "open": {"count": 2, "amount": "17500.50"},
    "subordinated": {"count": 1, "amount": "7500.50"},
    "satisfied": {"count": 1, "amount": "6000.00"},
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_each_group_has_its_liens_count_and_amount(liens):  # noqa: F811
    result = kind_for("lien_register").build(
        start=date(2026, 2, 1), end=date(2026, 2, 28)
    )
    assert result.figures == EXPECTED
    rows = {s.key: [(r["loan"], r["amount"]) for r in s.rows] for s in result.sections}
    assert {k: [(n, str(a)) for n, a in v] for k, v in rows.items()} == {
        "open": [("L-1", "10000.00"), ("L-2", "7500.50")],
        "subordinated": [("L-2", "7500.50")],
        "satisfied": [("L-3", "6000.00")],
    }


def test_the_lien_register_through_the_api_and_its_workbook(
    liens,  # noqa: F811
    supervisor_bob,
    api_client_for,
):
    client = api_client_for(supervisor_bob)
    body = generate(client, "lien_register", "2026-02")
    assert {k: body[k] for k in EXPECTED} == EXPECTED
    book = workbook(client, body["id"])
    assert book.sheetnames == [
        "Summary",
        "Open liens at the end",
        "Subordinated in the period",
        "Satisfied in the period",
    ]
    t = table(book["Open liens at the end"])
    assert t.header[:6] == ["Lien", "Loan", "Borrower", "Parcel", "Amount", "Position"]
    assert [r[0].startswith("LN-") for r in t.rows] == [True, True]
    assert [r[1:3] + r[4:7] for r in t.rows] == [
        ["L-1", "Carol Jensen", 10000, 1, "Recorded"],
        ["L-2", "Carol Jensen", 7500.5, 2, "Subordinated"],
    ]
    # A parcel id that looks like a formula stays text.
    assert t.rows[0][3] == "=cmd|x"
    assert t.rows[0][9].date() == date(2026, 1, 15)
    assert t.totals is not None and t.totals[4] == 17500.5
    assert_totals_are_the_sums(t, [4])
    assert_money_columns(t, [4])
    satisfied = table(book["Satisfied in the period"])
    assert [r[1] for r in satisfied.rows] == ["L-3"]
    assert satisfied.rows[0][11].date() == date(2026, 2, 20)
