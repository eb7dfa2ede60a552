"""Generating a filed period again makes an amendment: a new version that
references the filed one and lists which loans and figures changed."""

from datetime import date
from decimal import Decimal

from regulatory_reports.services import report_file, report_generate, report_review


def file_v1(actor, reviewer):
    run = report_generate(actor=actor, kind="test_kind", period_text="2026-Q3")
    run = report_review(actor=reviewer, run=run)
    return report_file(actor=reviewer, run=run)


def test_a_back_dated_payment_makes_version_2_naming_the_loan(
    test_kind, supervisor_bob, supervisor_sam
):
    v1 = file_v1(supervisor_bob, supervisor_sam)
    # A payment back-dated into the filed quarter, and a new loan's payment.
    test_kind["payments"].append(("ZI-0002", date(2026, 9, 30), Decimal("49.50")))
    test_kind["payments"].append(("ZI-0009", date(2026, 7, 1), Decimal("10.00")))
    v2 = report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    assert (v2.version, v2.amends_id, v2.status) == (2, v1.pk, "generated")
    assert v2.figures == {"receipts": {"count": 4, "amount": "410.00"}}
    assert v2.changes == [
        {
            "section": "receipts",
            "loan": "ZI-0002",
            "change": "changed",
            "figures": {
                "amount": {"from": "250.50", "to": "300.00"},
                "rows": {"from": 1, "to": 2},
            },
            "text": "Payment receipts: loan ZI-0002 changed "
            "(amount 250.50 → 300.00, rows 1 → 2).",
        },
        {
            "section": "receipts",
            "loan": "ZI-0009",
            "change": "added",
            "figures": {},
            "text": "Payment receipts: loan ZI-0009 added.",
        },
        {
            "figure": "receipts.amount",
            "from": "350.50",
            "to": "410.00",
            "text": "receipts.amount: 350.50 → 410.00.",
        },
        {
            "figure": "receipts.count",
            "from": 2,
            "to": 4,
            "text": "receipts.count: 2 → 4.",
        },
    ]
    v1.refresh_from_db()
    assert v1.status == "filed"  # the filed version stays as it was


def test_a_loan_gone_from_the_period_is_listed_as_removed(
    test_kind, supervisor_bob, supervisor_sam
):
    file_v1(supervisor_bob, supervisor_sam)
    test_kind["payments"] = [p for p in test_kind["payments"] if p[0] != "ZI-0001"]
    v2 = report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    assert [(c.get("loan"), c.get("change")) for c in v2.changes if "loan" in c] == [
        ("ZI-0001", "removed")
    ]


def test_an_amendment_of_an_amendment_amends_the_latest_filed(
    test_kind, supervisor_bob, supervisor_sam
):
    file_v1(supervisor_bob, supervisor_sam)
    v2 = file_v1(supervisor_bob, supervisor_sam)
    v3 = report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    assert (v2.version, v3.version, v3.amends_id, v3.changes) == (2, 3, v2.pk, [])


def test_another_period_is_its_own_version_1(test_kind, supervisor_bob, supervisor_sam):
    file_v1(supervisor_bob, supervisor_sam)
    july = report_generate(
        actor=supervisor_bob, kind="test_kind", period_text="2026-07"
    )
    assert (july.version, july.amends) == (1, None)
    assert july.figures == {"receipts": {"count": 1, "amount": "100.00"}}
