"""A small known portfolio for the cash receipts journal and the GL journal
export of July 2026, built on the days things happened (frozen time), with
the PSC builders (`psc_portfolio.Portfolio`).

- L-301: EE, $1,200.00 at 12 % over 12 months from June 1 (installment
  $106.62: $12.00 interest, $94.62 principal); paid by ACH on July 1.
- L-302: ZI, $600.00 over 6 months, disbursed July 15 (in the period).
- L-303: ZI, $1,200.00 over 12 months from May 1; $100.00 checks on June 1
  and July 1; the July check is returned (NSF) on July 10 ($25.00 fee);
  $125.00 in cash on July 20 pays the fee and July's installment.
- L-304: ZI, $300.00 over 3 months from April 1, paid May 1 and June 1;
  $100.00 by card on July 25 pays it off.
- L-305: ZI, $1,200.00 from June 1, 2025, never paid, defaulted, written off
  as of July 20 ($1,200.00 principal); $200.00 recovered in cash on July 28.
- L-306: ZI, $600.00 over 6 months from June 1; $100.00 check on July 31,
  returned on August 4, after the period (positive in July).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from loans.choices import LoanStatus, PaymentMethod
from loans.models import Loan
from loans.services.payments import payment_post
from loans.services.writeoffs import recovery_post, write_off_approve, write_off_propose
from portal.audit import audit_context
from regulatory_reports.kinds import kind_for
from tests.regulatory_reports.psc_portfolio import Built, Portfolio, office_user

START, END = date(2026, 7, 1), date(2026, 7, 31)
TODAY = date(2026, 8, 10)
D = Decimal


def pay(
    p: Portfolio, number: str, day: date, amount: str, ref: str, method: str
) -> Any:
    with time_machine.travel(day, tick=False):
        return payment_post(
            actor=p.office,
            loan=Loan.objects.get(number=number),
            amount=amount,
            received_on=day,
            method=method,
            reference=ref,
        ).payment


def build_journal_portfolio(preparer: Any, approver: Any) -> Portfolio:
    p = Portfolio(office_user(), preparer, approver)
    p.book("L-305", disbursed_on=date(2025, 6, 1), first_due=date(2025, 7, 1))
    p.book("L-304", disbursed_on=date(2026, 4, 1), first_due=date(2026, 5, 1),
           principal="300.00", term=3)  # fmt: skip
    p.book("L-303", disbursed_on=date(2026, 5, 1), first_due=date(2026, 6, 1))
    p.book("L-301", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1),
           product="EE", rate="12.00")  # fmt: skip
    p.book("L-306", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1),
           principal="600.00", term=6)  # fmt: skip
    pay(p, "L-304", date(2026, 5, 1), "100.00", "L304-5", PaymentMethod.CHECK)
    pay(p, "L-304", date(2026, 6, 1), "100.00", "L304-6", PaymentMethod.CHECK)
    pay(p, "L-303", date(2026, 6, 1), "100.00", "L303-6", PaymentMethod.CHECK)
    pay(p, "L-301", date(2026, 7, 1), "106.62", "L301-7", PaymentMethod.ACH)
    july = pay(p, "L-303", date(2026, 7, 1), "100.00", "L303-7", PaymentMethod.CHECK)
    p.reverse(july, date(2026, 7, 10))
    p.book("L-302", disbursed_on=date(2026, 7, 15), first_due=date(2026, 8, 15),
           principal="600.00", term=6)  # fmt: skip
    pay(p, "L-303", date(2026, 7, 20), "125.00", "L303-7B", PaymentMethod.CASH)
    pay(p, "L-304", date(2026, 7, 25), "100.00", "L304-7", PaymentMethod.CARD)
    _write_off_and_recover(p)
    late = pay(p, "L-306", date(2026, 7, 31), "100.00", "L306-7", PaymentMethod.CHECK)
    p.reverse(late, date(2026, 8, 4))
    return p


def _write_off_and_recover(p: Portfolio) -> None:
    loan = Loan.objects.get(number="L-305")
    with audit_context(user=None, reason="test: defaulted by the nightly job"):
        loan.status = LoanStatus.DEFAULTED
        loan.defaulted_on = date(2025, 11, 1)
        loan.save(update_fields=["status", "defaulted_on"])
    with time_machine.travel(date(2026, 7, 20), tick=False):
        proposal = write_off_propose(
            actor=p.preparer, loan=loan, as_of=date(2026, 7, 20), reason="Uncollectable"
        )
        write_off_approve(actor=p.approver, write_off=proposal)
    with time_machine.travel(date(2026, 7, 28), tick=False):
        recovery_post(
            actor=p.office,
            loan=Loan.objects.get(number="L-305"),
            amount="200.00",
            received_on=date(2026, 7, 28),
            method=PaymentMethod.CASH,
            reference="L305-REC",
        )


def build(kind: str, start: date = START, end: date = END) -> Built:
    with time_machine.travel(TODAY, tick=False):
        result = kind_for(kind).build(start=start, end=end)
        rows = {s.key: list(s.rows) for s in result.sections}
    return Built(
        result.figures, list(result.summary), {s.key: s for s in result.sections}, rows
    )


@pytest.fixture
def july(staff_alice: Any, supervisor_bob: Any) -> Portfolio:
    """The portfolio above."""
    return build_journal_portfolio(staff_alice, supervisor_bob)
