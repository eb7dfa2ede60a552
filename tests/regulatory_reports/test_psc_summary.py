"""The PSC summary of the known 2026-Q3 portfolio (tests/regulatory_reports/
psc_portfolio.py), every figure to the cent, and its reconciliation line:
principal at the start + disbursed − received − written off = at the end."""

from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import q3  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_body_has_exactly_the_five_parts_of_the_contract(q3):  # noqa: F811
    assert list(q3.figures) == [
        "summary",
        "receipts",
        "matured",
        "delinquent",
        "actions",
    ]


def test_every_summary_figure_to_the_cent(q3):  # noqa: F811
    # Start (June 30): L-106 1,200 + L-104 200 + L-105 300 + L-102 1,000
    # + L-101 1,200 + L-205..L-208 4 × 1,200. Disbursed: L-103 and L-201..L-204.
    # Received: L-101 300 (its September payment returned only in October),
    # L-104 200, L-102 −100 + 200, L-103 200. Written off: L-106.
    assert q3.figures["summary"] == {
        "loans_start": 9,
        "principal_start": "8700.00",
        "disbursed": "6000.00",
        "principal_received": "800.00",
        "interest_received": "0.00",
        "fees_received": "25.00",
        "written_off": "1200.00",
        "loans_end": 12,
        "principal_end": "12700.00",
        "reconciles": True,
    }


def test_the_reconciliation_line_adds_up_to_the_cent(q3):  # noqa: F811
    s = {k: Decimal(v) for k, v in q3.figures["summary"].items() if isinstance(v, str)}
    assert (
        s["principal_start"]
        + s["disbursed"]
        - s["principal_received"]
        - s["written_off"]
        == s["principal_end"]
    )
    line = dict((label, value) for label, value, _type in q3.summary)
    assert (
        line[
            "Reconciliation: principal at the start + disbursed − received − "
            "written off = principal at the end"
        ]
        == "$8,700.00 + $6,000.00 − $800.00 − $1,200.00 = $12,700.00"
    )


def test_the_summary_page_lines_are_typed_for_the_exports(q3):  # noqa: F811
    assert q3.summary[:9] == [
        ("Loans outstanding at the start", 9, "int"),
        ("Principal outstanding at the start", Decimal("8700.00"), "money"),
        ("Principal disbursed", Decimal("6000.00"), "money"),
        ("Principal received", Decimal("800.00"), "money"),
        ("Interest received", Decimal("0.00"), "money"),
        ("Fees received", Decimal("25.00"), "money"),
        ("Principal written off", Decimal("1200.00"), "money"),
        ("Loans outstanding at the end", 12, "int"),
        ("Principal outstanding at the end", Decimal("12700.00"), "money"),
    ]
    assert q3.summary[10:] == [
        ("Delinquent loans at the end", 10, "int"),
        ("Past-due amount at the end", Decimal("2400.00"), "money"),
        ("Matured loans", 2, "int"),
        ("Collection actions", 7, "int"),
    ]
