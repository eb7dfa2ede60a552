"""Shared steps for the write-off, recovery, legal and claim tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from loans.choices import LoanStatus
from loans.models import Loan, WriteOff
from loans.services.writeoffs import write_off_approve, write_off_propose
from portal.audit import audit_context


def make_defaulted(loan: Loan, on: date = date(2026, 6, 1)) -> Loan:
    """The nightly job (another issue's work) moves a loan to defaulted; the
    tests set it directly, with history, as that job would."""
    loan.status = LoanStatus.DEFAULTED
    loan.defaulted_on = on
    with audit_context(user=None, reason="test: defaulted"):
        loan.save(update_fields=["status", "defaulted_on"])
    return loan


def write_off(
    loan: Loan, preparer: Any, approver: Any, as_of: date = date(2026, 6, 1)
) -> WriteOff:
    proposal = write_off_propose(
        actor=preparer, loan=loan, as_of=as_of, reason="Judgment uncollectable"
    )
    return write_off_approve(actor=approver, write_off=proposal)


D = Decimal
