"""A PSC report whose principal does not reconcile is not generated: the
error names every loan that breaks start + disbursed − received − written
off = end."""

from decimal import Decimal

import pytest

from regulatory_reports.kinds import ReportError, kind_for, psc_queries
from regulatory_reports.kinds.psc import LoanPrincipal, check_reconciliation
from tests.regulatory_reports.psc_portfolio import END, START

D = Decimal


def test_loans_that_reconcile_pass():
    check_reconciliation(
        [
            LoanPrincipal(
                "L-1", D("1000.00"), D("0.00"), D("100.00"), D("0.00"), D("900.00")
            )
        ]
    )


def test_a_loan_off_by_one_cent_is_named_with_its_figures():
    loans = [
        LoanPrincipal(
            "L-1", D("1000.00"), D("0.00"), D("100.00"), D("0.00"), D("900.00")
        ),
        LoanPrincipal(
            "L-2", D("500.00"), D("0.00"), D("50.00"), D("0.00"), D("450.01")
        ),
    ]
    with pytest.raises(ReportError) as refused:
        check_reconciliation(loans)
    assert str(refused.value) == (
        "The principal does not reconcile for 1 loan: L-2: $500.00 + $0.00 − "
        "$50.00 − $0.00 ≠ $450.01. The report was not generated."
    )


def test_the_report_is_refused_when_the_ledger_does_not_reconcile(monkeypatch):
    # The ledger keeps the identity by construction; an inconsistent read
    # stands in for a corrupted one.
    def broken(start, end):
        yield ("L-7", D("1200.00"), D("0.00"), D("100.00"), D("0.00"), D("1000.00"))

    monkeypatch.setattr(psc_queries, "principal_by_loan", broken)
    with pytest.raises(ReportError, match="for 1 loan: L-7: "):
        kind_for("psc").build(start=START, end=END)
