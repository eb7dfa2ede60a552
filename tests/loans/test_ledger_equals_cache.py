"""Stored balances always equal the ledger: over a generated portfolio with
on-time, late, prepaid, NSF and defaulted histories, the installment cache
equals a fresh replay of the facts and the ledger's principal."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from loans import engine
from loans.models import Installment, Loan
from loans.portfolio import generate_portfolio
from loans.selectors import ledger_balances
from portal.audit import get_system_user

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 1), tick=False)
def test_every_generated_loan_has_a_cache_equal_to_its_ledger():
    counts = generate_portfolio(
        actor=get_system_user(), loans=25, seed=1, today=date(2026, 11, 1)
    )
    assert counts["payments"] > 0
    assert (
        min(counts[p] for p in ("on_time", "late", "prepaid", "nsf", "defaulted")) > 0
    )
    for loan in Loan.objects.all():
        replayed = engine.position(loan)
        rows = list(Installment.objects.filter(loan=loan).order_by("number"))
        assert [
            (
                r.number,
                r.due_date,
                r.principal,
                r.interest,
                r.principal_paid,
                r.interest_paid,
            )
            for r in rows
        ] == [
            (
                s.number,
                s.due_date,
                s.principal_due,
                s.interest_due,
                s.principal_paid,
                s.interest_paid,
            )
            for s in replayed.states
        ], loan.number
        outstanding = sum((r.principal - r.principal_paid for r in rows), Decimal("0"))
        assert ledger_balances(loan)["principal"] == outstanding, loan.number
        assert ledger_balances(loan)["fees"] == replayed.unpaid_fees, loan.number
