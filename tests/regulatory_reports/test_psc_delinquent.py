"""PSC delinquent loans as of the period's last day, counting only payments
received by then: every bucket edge (1, 30, 31, 60, 61, 90, 91, 120, 121
days past due), past-due amount and outstanding principal, and the sums per
bucket with every bucket present."""

from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import q3  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def test_each_delinquent_loan_with_bucket_dpd_and_amounts(q3):  # noqa: F811
    got = [
        (r["loan"], r["bucket"], r["dpd"], r["past_due"], r["principal"])
        for r in q3.rows["delinquent"]
    ]
    # L-101 is current: its September payment was received by September 30
    # (returned only on October 5). L-103 is current. L-106 is written off.
    assert got == [
        ("L-102", "31-60", 60, D("200.00"), D("900.00")),
        ("L-105", "61-90", 87, D("300.00"), D("300.00")),
        ("L-201", "1-30", 1, D("100.00"), D("1200.00")),
        ("L-202", "1-30", 30, D("100.00"), D("1200.00")),
        ("L-203", "31-60", 31, D("100.00"), D("1200.00")),
        ("L-204", "61-90", 61, D("200.00"), D("1200.00")),
        ("L-205", "61-90", 90, D("300.00"), D("1200.00")),
        ("L-206", "91-120", 91, D("300.00"), D("1200.00")),
        ("L-207", "91-120", 120, D("400.00"), D("1200.00")),
        ("L-208", "121+", 121, D("400.00"), D("1200.00")),
    ]
    assert q3.rows["delinquent"][0]["customer"] == "Borrower L-102"


def test_counts_and_sums_per_bucket(q3):  # noqa: F811
    assert q3.figures["delinquent"] == {
        "count": 10,
        "past_due": "2400.00",
        "principal": "10800.00",
        "buckets": {
            "1-30": {"count": 2, "past_due": "200.00", "principal": "2400.00"},
            "31-60": {"count": 2, "past_due": "300.00", "principal": "2100.00"},
            "61-90": {"count": 3, "past_due": "800.00", "principal": "2700.00"},
            "91-120": {"count": 2, "past_due": "700.00", "principal": "2400.00"},
            "121+": {"count": 1, "past_due": "400.00", "principal": "1200.00"},
        },
    }
    assert q3.sections["delinquent"].totals == {
        "past_due": D("2400.00"),
        "principal": D("10800.00"),
    }
