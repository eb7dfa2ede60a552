"""PSC receipts when a payment's allocation changes: a payment re-allocated
(an earlier one returned first) and then returned itself is one positive row
on its received day and one negative row on its return, and a payment
received before the period and re-allocated in it is a row of 0.00 with the
change of its allocation, so the rows add up to the ledger's figures."""

from datetime import date
from decimal import Decimal

import pytest

from tests.regulatory_reports.psc_portfolio import Portfolio, build_report, office_user

pytestmark = pytest.mark.django_db
D = Decimal


def _cells(rows):
    return [
        (
            r["date"],
            r["reference"],
            r["method"],
            r["amount"],
            r["principal"],
            r["count"],
        )
        for r in rows
    ]


def test_a_reallocated_payment_returned_later_counts_once_each_way(
    staff_alice, supervisor_bob
):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("L-401", disbursed_on=date(2026, 5, 1), first_due=date(2026, 6, 1))
    june = p.pay("L-401", date(2026, 6, 1), "100.00", "L401-6")
    july = p.pay("L-401", date(2026, 7, 1), "100.00", "L401-7")
    # June's check returned: July's payment now pays June's installment.
    p.reverse(june, date(2026, 7, 5))
    p.reverse(july, date(2026, 7, 20))

    report = build_report()
    assert _cells(report.rows["receipts"]) == [
        (date(2026, 7, 1), "L401-7", "Check", D("100.00"), D("100.00"), 1),
        # June's payment, received before the quarter, returned in it.
        (date(2026, 7, 5), "L401-6", "Check", D("-100.00"), D("-100.00"), -1),
        (date(2026, 7, 20), "L401-7", "Check", D("-100.00"), D("-100.00"), -1),
    ]
    receipts, summary = report.figures["receipts"], report.figures["summary"]
    assert (receipts["count"], receipts["amount"], receipts["principal"]) == (
        -1,
        "-100.00",
        "-100.00",
    )
    assert receipts["principal"] == summary["principal_received"]


def test_a_payment_from_before_the_period_reallocated_in_it_is_a_zero_row(
    staff_alice, supervisor_bob
):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("L-402", disbursed_on=date(2026, 4, 1), first_due=date(2026, 5, 1))
    may = p.pay("L-402", date(2026, 5, 1), "100.00", "L402-5")
    p.pay("L-402", date(2026, 6, 1), "100.00", "L402-6")
    # May's check returned in July: June's payment moves to May's installment.
    p.reverse(may, date(2026, 7, 6))

    report = build_report()
    rows = report.rows["receipts"]
    assert [(r["date"], r["reference"], r["amount"], r["count"]) for r in rows] == [
        (date(2026, 7, 6), "L402-5", D("-100.00"), -1),
        (date(2026, 7, 6), "L402-6", D("0.00"), 0),
    ]
    assert rows[1]["method"] == "Check (re-allocated)"
    receipts, summary = report.figures["receipts"], report.figures["summary"]
    assert receipts["principal"] == summary["principal_received"]
