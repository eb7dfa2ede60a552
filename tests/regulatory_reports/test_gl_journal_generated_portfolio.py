"""The issue's Done-when: the GL journal balances (debits = credits) for
every day of a generated portfolio (`manage.py generate_portfolio`), and its
totals per account agree with the ledger's sums by entry kind. The reads are
a fixed number of queries whatever the number of loans."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.db.models import Max, Min
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from loans.choices import EntryKind as K
from loans.models import LedgerEntry
from regulatory_reports.models import GLAccount
from tests.regulatory_reports.journal_portfolio import Built, build

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)
ZERO = Decimal("0.00")


@pytest.fixture
def generated():
    with time_machine.travel(TODAY, tick=False):
        call_command("generate_portfolio", "--loans", "40", "--seed", "11")
    span = LedgerEntry.objects.aggregate(
        first=Min("effective_on"), last=Max("effective_on")
    )
    with CaptureQueriesContext(connection) as queries:
        export = build("gl_journal", span["first"], span["last"])
    return export, len(queries)


def _ledger_sums() -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for kind, amount in LedgerEntry.objects.values_list("kind", "amount"):
        sums[kind] += amount  # Decimal in Python: exact on SQLite too
    return sums


def test_every_day_of_a_generated_portfolio_balances(generated):
    export: Built = generated[0]
    days = export.rows["days"]
    distinct = LedgerEntry.objects.values("effective_on").distinct().count()
    assert len(days) == export.figures["days"] == distinct > 100
    assert all(day["debits"] == day["credits"] > 0 for day in days)
    assert export.figures["balanced"] is True
    assert export.figures["debits"] == export.figures["credits"]


def test_the_totals_per_account_agree_with_the_ledgers_sums_by_kind(generated):
    export: Built = generated[0]
    s = _ledger_sums()
    assert s[K.DISBURSEMENT] > 0 and s[K.FEE_ASSESSED] > 0 and s[K.INTEREST_PAID] > 0
    code = dict(GLAccount.objects.values_list("role", "code"))

    def net_debit(role: str) -> Decimal:
        found = export.figures["by_account"].get(code[role])
        if found is None:
            return ZERO
        return Decimal(found["debit"]) - Decimal(found["credit"])

    cash_in = (
        s[K.FEE_PAID]
        + s[K.INTEREST_PAID]
        + s[K.PRINCIPAL_PAID]
        + s[K.PREPAYMENT]
        + s[K.UNAPPLIED]
        + s[K.RECOVERY]
    )
    assert net_debit("cash") == cash_in - s[K.DISBURSEMENT]
    assert net_debit("loans_receivable") == (
        s[K.DISBURSEMENT] - s[K.PRINCIPAL_PAID] - s[K.PREPAYMENT] - s[K.WRITE_OFF]
    )
    assert net_debit("fees_receivable") == (
        s[K.FEE_ASSESSED] - s[K.FEE_PAID] - s[K.WRITE_OFF_FEES]
    )
    assert -net_debit("interest_income") == s[K.INTEREST_PAID]
    assert -net_debit("fee_income") == s[K.FEE_ASSESSED]
    assert -net_debit("refunds_payable") == s[K.UNAPPLIED]
    assert -net_debit("recoveries") == s[K.RECOVERY]
    assert net_debit("write_off_expense") == s[K.WRITE_OFF] + s[K.WRITE_OFF_FEES]


def test_the_reversals_of_the_nsf_pattern_post_on_the_opposite_sides(generated):
    export: Built = generated[0]
    reversals = [r for r in export.rows["journal"] if "Reversal: " in r["description"]]
    assert reversals
    cash = GLAccount.objects.get(role="cash").code
    assert all(
        r["credit"] > 0 and r["debit"] == 0 for r in reversals if r["account"] == cash
    )


def test_the_export_reads_in_a_fixed_number_of_queries(generated):
    # The ledger's activity grouped by day and kind, then the accounts.
    assert generated[1] == 2
