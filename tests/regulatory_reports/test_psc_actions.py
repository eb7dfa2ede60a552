"""PSC actions taken on delinquent loans in the period: each collection
action (date, loan, type, outcome), counts per type, referrals, judgments,
the write-off with its amounts and the State claim claimed and received."""

from datetime import date
from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import q3  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def test_each_action_in_the_period(q3):  # noqa: F811
    assert [
        (r["date"], r["loan"], r["type"], r["outcome"]) for r in q3.rows["actions"]
    ] == [
        (date(2026, 7, 15), "L-106", "Referral to the City Attorney",
         "Referred to Office of the City Attorney"),
        (date(2026, 7, 20), "L-208", "Letter", "Reminder letter sent"),
        (date(2026, 8, 5), "L-106", "Judgment",
         "Judgment for $1,200.00 in Riverton District Court, case CV-2026-0805"),
        (date(2026, 8, 12), "L-206", "Telephone call", "Promised to call back"),
        (date(2026, 8, 20), "L-106", "Write-off",
         "$1,200.00 written off as of August 20, 2026"),
        (date(2026, 8, 25), "L-106", "State guarantee claim",
         "Claim for $1,200.00 submitted to the State"),
        (date(2026, 9, 20), "L-106", "State guarantee claim",
         "State paid $1,100.00 of $1,200.00 claimed"),
    ]  # fmt: skip


def test_action_figures_count_every_type_and_the_amounts(q3):  # noqa: F811
    assert q3.figures["actions"] == {
        "count": 7,
        "by_type": {
            "letter": 1,
            "email": 0,
            "call": 1,
            "visit": 0,
            "promise_to_pay": 0,
            "arrangement": 0,
            "attorney_referral": 1,
            "judgment": 1,
            "agency_referral": 0,
            "write_off": 1,
            "guarantee_claim": 2,
        },
        "written_off": "1200.00",
        "guarantee_claimed": "1200.00",
        "guarantee_received": "1100.00",
    }


def test_the_write_off_and_the_claim_with_their_amounts(q3):  # noqa: F811
    assert q3.rows["write_offs"] == [
        {
            "date": date(2026, 8, 20),
            "loan": "L-106",
            "customer": "Borrower L-106",
            "principal": D("1200.00"),
            "interest": D("0.00"),
            "fees": D("0.00"),
            "total": D("1200.00"),
        }
    ]
    assert q3.rows["claims"] == [
        {
            "loan": "L-106",
            "customer": "Borrower L-106",
            "submitted_on": date(2026, 8, 25),
            "claimed": D("1200.00"),
            "paid_on": date(2026, 9, 20),
            "received": D("1100.00"),
            "status": "Paid by the State",
        }
    ]
    assert q3.sections["claims"].totals == {
        "claimed": D("1200.00"),
        "received": D("1100.00"),
    }
