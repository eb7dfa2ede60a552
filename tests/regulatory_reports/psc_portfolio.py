"""A small known portfolio for the PSC report of 2026-Q3 (July 1 to
September 30, 2026), built step by step on the days things happened, so
every service sees "today" as it would have.

Zero-interest loans (product ZI, state-guaranteed) of $1,200.00 over 12
months ($100.00 a month) unless said otherwise:

- L-101: payments July 1, August 1, September 1; the September one is
  returned (NSF) on October 5, after the period.
- L-102: payments May 1 and June 1; the June one is returned (NSF) on
  July 10, in the period ($25.00 fee); $225.00 on August 3 pays the fee and
  the June and July installments. 60 days past due at the end (Aug 1).
- L-103: disbursed July 15 in the period; paid August 15 and September 15.
- L-104: $600.00 over 6 months, due March 10 to August 10, all paid on
  time: matures in the period, paid off.
- L-105: $600.00 over 6 months, due April 5 to September 5, paid April to
  June only: matures in the period with $300.00 owed, 87 days past due.
- L-106: disbursed June 1, 2025, never paid, defaulted; referred to the
  City Attorney July 15, judgment August 5, written off as of August 20,
  State claim prepared August 21, submitted August 25 for $1,200.00, paid
  $1,100.00 on September 20 (a recovery).
- L-201 … L-208: never paid; first due so that they are 1, 30, 31, 61, 90,
  91, 120 and 121 days past due on September 30.
- L-900: product EE (not state-guaranteed), with a payment and an action
  in the period: in no figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission

import pytest
import time_machine

from loans.choices import ActionChannel, ActionType, LoanStatus, PaymentMethod
from loans.models import Loan
from loans.services.booking import loan_book
from loans.services.claims import (
    guarantee_claim_prepare,
    guarantee_claim_record_payment,
    guarantee_claim_submit,
)
from loans.services.collections import collection_action_record
from loans.services.legal import attorney_referral_record, judgment_record
from loans.services.payments import payment_post, payment_reverse
from loans.services.writeoffs import write_off_approve, write_off_propose
from portal.audit import audit_context
from regulatory_reports.kinds import Section, kind_for
from tests.factories import UserFactory

START, END = date(2026, 7, 1), date(2026, 9, 30)
TODAY = date(2026, 10, 15)

# Loan number -> days past due on September 30 (first due = END - days).
EDGES = {
    "L-201": 1,
    "L-202": 30,
    "L-203": 31,
    "L-204": 61,
    "L-205": 90,
    "L-206": 91,
    "L-207": 120,
    "L-208": 121,
}


def office_user() -> Any:
    """Books, posts, records actions and claims (every loans permission)."""
    user: Any = UserFactory(username="office")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="loans")
    )
    return user


class Portfolio:
    def __init__(self, office: Any, preparer: Any, approver: Any) -> None:
        self.office = office
        self.preparer = preparer
        self.approver = approver
        self.loans: dict[str, Loan] = {}
        self._accounts = 100000

    def book(
        self,
        number: str,
        *,
        disbursed_on: date,
        first_due: date,
        principal: str = "1200.00",
        term: int = 12,
        product: str = "ZI",
        rate: str = "0.00",
    ) -> Loan:
        self._accounts += 1
        with time_machine.travel(disbursed_on, tick=False):
            loan = loan_book(
                actor=self.office,
                number=number,
                product_code=product,
                customer_name=f"Borrower {number}",
                customer_email=f"{number.lower()}@example.org",
                account_number=str(self._accounts),
                principal=Decimal(principal),
                annual_rate=Decimal(rate),
                term_months=term,
                first_due_date=first_due,
                disbursed_on=disbursed_on,
            )
        self.loans[number] = loan
        return loan

    def pay(self, number: str, day: date, amount: str, reference: str) -> Any:
        with time_machine.travel(day, tick=False):
            return payment_post(
                actor=self.office,
                loan=Loan.objects.get(number=number),
                amount=amount,
                received_on=day,
                method=PaymentMethod.CHECK,
                reference=reference,
            ).payment

    def reverse(self, payment: Any, day: date) -> None:
        with time_machine.travel(day, tick=False):
            payment_reverse(
                actor=self.office, payment=payment, reason="nsf", reversed_on=day
            )

    def act(self, number: str, day: date, type: str, outcome: str) -> None:
        with time_machine.travel(day, tick=False):
            collection_action_record(
                actor=self.office,
                loan=Loan.objects.get(number=number),
                type=type,
                on=day,
                channel=ActionChannel.MAIL,
                outcome=outcome,
            )


def build_portfolio(preparer: Any, approver: Any) -> Portfolio:
    p = Portfolio(office_user(), preparer, approver)
    # The loan written off, defaulted long before the period.
    p.book("L-106", disbursed_on=date(2025, 6, 1), first_due=date(2025, 7, 1))
    p.book("L-104", disbursed_on=date(2026, 2, 10), first_due=date(2026, 3, 10),
           principal="600.00", term=6)  # fmt: skip
    p.book("L-105", disbursed_on=date(2026, 3, 5), first_due=date(2026, 4, 5),
           principal="600.00", term=6)  # fmt: skip
    p.book("L-102", disbursed_on=date(2026, 4, 1), first_due=date(2026, 5, 1))
    p.book("L-101", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1))
    p.book("L-900", disbursed_on=date(2026, 1, 1), first_due=date(2026, 2, 1),
           product="EE", rate="5.00", principal="4000.00", term=48)  # fmt: skip
    for number, dpd in EDGES.items():
        first_due = END - timedelta(days=dpd)
        p.book(number, disbursed_on=first_due - timedelta(days=30), first_due=first_due)

    for month in (3, 4, 5, 6, 7, 8):
        p.pay("L-104", date(2026, month, 10), "100.00", f"L104-{month}")
    for month in (4, 5, 6):
        p.pay("L-105", date(2026, month, 5), "100.00", f"L105-{month}")
    p.pay("L-102", date(2026, 5, 1), "100.00", "L102-5")
    june = p.pay("L-102", date(2026, 6, 1), "100.00", "L102-6")
    p.pay("L-101", date(2026, 7, 1), "100.00", "L101-7")
    p.reverse(june, date(2026, 7, 10))
    p.book("L-103", disbursed_on=date(2026, 7, 15), first_due=date(2026, 8, 15))
    p.pay("L-900", date(2026, 7, 20), "90.00", "L900-7")
    p.act("L-208", date(2026, 7, 20), ActionType.LETTER, "Reminder letter sent")
    p.act("L-900", date(2026, 7, 21), ActionType.LETTER, "Reminder letter sent")
    p.pay("L-101", date(2026, 8, 1), "100.00", "L101-8")
    p.pay("L-102", date(2026, 8, 3), "225.00", "L102-8")
    p.act("L-206", date(2026, 8, 12), ActionType.CALL, "Promised to call back")
    p.pay("L-103", date(2026, 8, 15), "100.00", "L103-8")
    p.pay("L-101", date(2026, 9, 1), "100.00", "L101-9")
    p.pay("L-103", date(2026, 9, 15), "100.00", "L103-9")
    _write_off_and_claim(p)
    returned = Loan.objects.get(number="L-101").payments.get(reference="L101-9")
    p.reverse(returned, date(2026, 10, 5))
    return p


def _write_off_and_claim(p: Portfolio) -> None:
    loan = Loan.objects.get(number="L-106")
    with audit_context(user=None, reason="test: defaulted by the nightly job"):
        loan.status = LoanStatus.DEFAULTED
        loan.defaulted_on = date(2025, 11, 1)
        loan.save(update_fields=["status", "defaulted_on"])
    with time_machine.travel(date(2026, 7, 15), tick=False):
        attorney_referral_record(
            actor=p.office,
            loan=loan,
            referred_on=date(2026, 7, 15),
            attorney="Office of the City Attorney",
        )
    with time_machine.travel(date(2026, 8, 5), tick=False):
        judgment_record(
            actor=p.office,
            loan=loan,
            case_number="CV-2026-0805",
            court="Riverton District Court",
            amount="1200.00",
            judgment_on=date(2026, 8, 5),
        )
    with time_machine.travel(date(2026, 8, 20), tick=False):
        proposal = write_off_propose(
            actor=p.preparer, loan=loan, as_of=date(2026, 8, 20), reason="Uncollectable"
        )
        write_off_approve(actor=p.approver, write_off=proposal)
    with time_machine.travel(date(2026, 8, 25), tick=False):
        claim = guarantee_claim_prepare(
            actor=p.office, loan=loan, prepared_on=date(2026, 8, 21)
        )
        claim = guarantee_claim_submit(
            actor=p.office, claim=claim, submitted_on=date(2026, 8, 25)
        )
    with time_machine.travel(date(2026, 9, 20), tick=False):
        guarantee_claim_record_payment(
            actor=p.office,
            claim=claim,
            amount="1100.00",
            paid_on=date(2026, 9, 20),
            reference="STATE-2026-0920",
        )


@dataclass
class Built:
    """The report of the portfolio, its rows read once into lists."""

    figures: dict[str, Any]
    summary: list[tuple[str, Any, str]]
    sections: dict[str, Section]
    rows: dict[str, list[dict[str, Any]]]


def build_report(start: date = START, end: date = END) -> Built:
    with time_machine.travel(TODAY, tick=False):
        result = kind_for("psc").build(start=start, end=end)
        rows = {s.key: list(s.rows) for s in result.sections}
    return Built(
        result.figures,
        list(result.summary),
        {s.key: s for s in result.sections},
        rows,
    )


@pytest.fixture
def q3(staff_alice: Any, supervisor_bob: Any) -> Built:
    """The portfolio above and its 2026-Q3 report."""
    build_portfolio(staff_alice, supervisor_bob)
    return build_report()
