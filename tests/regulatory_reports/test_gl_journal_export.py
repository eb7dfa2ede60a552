"""GL journal export for July 2026 (journal_portfolio): per day, per account,
a debit line and a credit line naming the entry kinds summed; a reversal
posts on the opposite sides; the account codes and names come from the GL
accounts (data); figures to the cent. Not generated when a day does not
balance or an account it needs is inactive, naming the day or the account."""

from datetime import date
from decimal import Decimal

import pytest

from loans.choices import EntryKind
from regulatory_reports.choices import GLRole
from regulatory_reports.kinds import ReportError
from regulatory_reports.kinds import gl_journal as gl
from regulatory_reports.models import GLAccount
from tests.regulatory_reports.journal_portfolio import build, july  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal
CASH, LR, FR = "1010", "1310", "1320"
NAMES = {
    "1010": "Cash — loan fund",
    "1310": "Loans receivable",
    "1320": "Loan fees receivable",
    "4410": "Interest income — loans",
    "4420": "Fee income — loans",
    "4430": "Recoveries of loans written off",
    "6510": "Loan write-off expense",
}


def _line(day, account, debit, credit, description):
    return {
        "date": date(2026, 7, day),
        "account": account,
        "account_name": NAMES[account],
        "debit": D(debit),
        "credit": D(credit),
        "description": description,
    }


@pytest.fixture
def export(july):  # noqa: F811
    return build("gl_journal")


def test_the_journal_lines_debits_first_then_credits_by_account_code(export):
    paid = "Payment to principal"
    assert export.rows["journal"] == [
        # L-301 ACH $106.62 (interest $12.00) and L-303's $100.00 check.
        _line(1, CASH, "206.62", "0", "Payment to interest; Payment to principal"),
        _line(1, LR, "0", "194.62", paid),
        _line(1, "4410", "0", "12.00", "Payment to interest"),
        # L-303's check returned: the reversal swaps sides; the $25.00 fee.
        _line(10, LR, "100.00", "0", f"Reversal: {paid}"),
        _line(10, FR, "25.00", "0", "Fee assessed"),
        _line(10, CASH, "0", "100.00", f"Reversal: {paid}"),
        _line(10, "4420", "0", "25.00", "Fee assessed"),
        # L-302 disbursed.
        _line(15, LR, "600.00", "0", "Disbursement (principal lent)"),
        _line(15, CASH, "0", "600.00", "Disbursement (principal lent)"),
        # L-303's $125.00 cash (fee, then principal); L-305 written off.
        _line(20, CASH, "125.00", "0", "Payment to fees; Payment to principal"),
        _line(20, "6510", "1200.00", "0", "Write-off of principal"),
        _line(20, LR, "0", "1300.00", f"{paid}; Write-off of principal"),
        _line(20, FR, "0", "25.00", "Payment to fees"),
        _line(25, CASH, "100.00", "0", paid),
        _line(25, LR, "0", "100.00", paid),
        _line(28, CASH, "200.00", "0", "Recovery after write-off"),
        _line(28, "4430", "0", "200.00", "Recovery after write-off"),
        _line(31, CASH, "100.00", "0", paid),
        _line(31, LR, "0", "100.00", paid),
    ]
    assert export.sections["journal"].totals == {
        "debit": D("2656.62"),
        "credit": D("2656.62"),
    }


def test_every_day_balances(export):
    def day(n, amount):
        return {
            "date": date(2026, 7, n),
            "debits": D(amount),
            "credits": D(amount),
            "balanced": "Yes",
        }

    assert export.rows["days"] == [
        day(1, "206.62"),
        day(10, "125.00"),
        day(15, "600.00"),
        day(20, "1325.00"),
        day(25, "100.00"),
        day(28, "200.00"),
        day(31, "100.00"),
    ]


def test_the_figures_for_the_api(export):
    assert export.figures == {
        "days": 7,
        "debits": "2656.62",
        "credits": "2656.62",
        "balanced": True,
        "by_account": {
            "1010": {"debit": "731.62", "credit": "700.00"},
            "1310": {"debit": "700.00", "credit": "1694.62"},
            "1320": {"debit": "25.00", "credit": "25.00"},
            "4410": {"debit": "0.00", "credit": "12.00"},
            "4420": {"debit": "0.00", "credit": "25.00"},
            "4430": {"debit": "0.00", "credit": "200.00"},
            "6510": {"debit": "1200.00", "credit": "0.00"},
        },
    }
    assert export.summary[:4] == [
        ("Days with ledger activity", 7, "int"),
        ("Total debits", D("2656.62"), "money"),
        ("Total credits", D("2656.62"), "money"),
        ("Debits equal credits every day", "Yes", "text"),
    ]


def test_the_cash_account_debits_equal_the_cash_receipts_deposits(export):
    receipts = build("cash_receipts")
    deposited = receipts.sections["deposits"].totals["amount"]
    assert export.figures["by_account"]["1010"]["debit"] == f"{deposited:.2f}"


def test_a_changed_account_code_is_used_by_the_next_export(july):  # noqa: F811
    cash = GLAccount.objects.get(role=GLRole.CASH)
    cash.code, cash.name = "100-1010-00", "Cash — operating"
    cash.save()
    figures = build("gl_journal").figures
    assert figures["by_account"]["100-1010-00"] == {
        "debit": "731.62",
        "credit": "700.00",
    }
    assert "1010" not in figures["by_account"]


def test_an_inactive_account_that_is_needed_refuses_the_export(july):  # noqa: F811
    GLAccount.objects.filter(role=GLRole.RECOVERIES).update(active=False)
    with pytest.raises(ReportError) as refused:
        build("gl_journal")
    assert str(refused.value) == (
        "There is no active GL account for Recoveries of loans written off; a "
        "supervisor sets one under Reports › GL accounts. The report was not "
        "generated."
    )


def test_an_unbalanced_day_refuses_the_export_naming_the_day(july, monkeypatch):  # noqa: F811
    one_sided = dict(gl.POSTINGS)
    one_sided[EntryKind.RECOVERY] = gl.Posting(GLRole.CASH, None, "broken")
    monkeypatch.setattr(gl.GLJournalExport, "postings", one_sided)
    with pytest.raises(ReportError) as refused:
        build("gl_journal")
    assert str(refused.value) == (
        "Debits do not equal credits on 1 day: 2026-07-28: debits $200.00, "
        "credits $0.00. The report was not generated."
    )


def test_the_balance_check_names_every_unbalanced_day():
    with pytest.raises(ReportError) as refused:
        gl.check_balanced(
            {
                date(2026, 7, 2): (D("10.00"), D("10.00")),
                date(2026, 7, 3): (D("10.00"), D("9.99")),
                date(2026, 7, 1): (D("0.00"), D("5.00")),
            }
        )
    assert str(refused.value) == (
        "Debits do not equal credits on 2 days: 2026-07-01: debits $0.00, "
        "credits $5.00; 2026-07-03: debits $10.00, credits $9.99. The report "
        "was not generated."
    )
