"""The GL mapping: every ledger entry kind says what it debits and credits
(a new kind added without a row fails here), both sides or neither, each
with its reason; every role has a default account from the data migration."""

import pytest

from loans.choices import EntryKind
from regulatory_reports.choices import GLRole
from regulatory_reports.kinds.gl_journal import POSTINGS
from regulatory_reports.models import GLAccount


def test_every_entry_kind_has_a_posting():
    assert set(POSTINGS) == set(EntryKind.values)


@pytest.mark.parametrize("kind", EntryKind.values)
def test_a_posting_debits_and_credits_two_different_accounts_or_nothing(kind):
    posting = POSTINGS[kind]
    assert posting.why
    if posting.debit is None or posting.credit is None:
        assert (posting.debit, posting.credit) == (None, None)
    else:
        assert posting.debit != posting.credit


def test_the_documented_postings():
    pairs = {kind: (p.debit, p.credit) for kind, p in POSTINGS.items()}
    r = GLRole
    assert pairs == {
        "disbursement": (r.LOANS_RECEIVABLE, r.CASH),
        "fee_assessed": (r.FEES_RECEIVABLE, r.FEE_INCOME),
        "fee_paid": (r.CASH, r.FEES_RECEIVABLE),
        "interest_paid": (r.CASH, r.INTEREST_INCOME),
        "principal_paid": (r.CASH, r.LOANS_RECEIVABLE),
        "prepayment": (r.CASH, r.LOANS_RECEIVABLE),
        "unapplied": (r.CASH, r.REFUNDS_PAYABLE),
        "write_off": (r.WRITE_OFF_EXPENSE, r.LOANS_RECEIVABLE),
        "write_off_interest": (None, None),
        "write_off_fees": (r.WRITE_OFF_EXPENSE, r.FEES_RECEIVABLE),
        "recovery": (r.CASH, r.RECOVERIES),
    }


@pytest.mark.django_db
def test_every_role_has_an_active_default_account():
    accounts = {a.role: (a.code, a.active) for a in GLAccount.objects.all()}
    assert accounts == {
        "cash": ("1010", True),
        "loans_receivable": ("1310", True),
        "fees_receivable": ("1320", True),
        "refunds_payable": ("2210", True),
        "interest_income": ("4410", True),
        "fee_income": ("4420", True),
        "recoveries": ("4430", True),
        "write_off_expense": ("6510", True),
    }
    assert set(accounts) == set(GLRole.values)
