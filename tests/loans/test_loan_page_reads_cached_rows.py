"""The loan page's summary comes from the engine's cached rows (installments,
ledger, payments the page reads anyway), not from a replay: over a generated
portfolio and after in-order and back-dated postings, reversals and late
fees, it equals the replay's summary (`loan_summary`) for every loan; a page
with a fact dated after today still replays; and the page runs no replay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine

from loans import engine
from loans.choices import LoanStatus, PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Loan, Payment
from loans.portfolio import generate_portfolio
from loans.selectors import loan_page_summary, loan_summary
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post, payment_reverse
from portal.audit import get_system_user
from portal.templatetags.portal_format import money_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)


def page_summary(loan: Loan, as_of: date):
    return loan_page_summary(
        loan,
        as_of,
        installments=list(Installment.objects.filter(loan=loan).order_by("number")),
        entries=list(LedgerEntry.objects.filter(loan=loan).order_by("pk")),
        payments=list(Payment.objects.filter(loan=loan)),
    )


def assert_every_page_summary_equals_the_replay(as_of: date) -> int:
    checked = 0
    for loan in Loan.objects.filter(disbursed_on__isnull=False):
        assert page_summary(loan, as_of) == loan_summary(loan, as_of), loan.number
        checked += 1
    return checked


@time_machine.travel(TODAY, tick=False)
def test_the_page_summary_equals_the_replay_after_every_writer():
    actor = get_system_user()
    generate_portfolio(actor=actor, loans=30, seed=11, today=TODAY)
    assert assert_every_page_summary_equals_the_replay(TODAY) == 30

    open_loans = list(Loan.objects.filter(status=LoanStatus.ACTIVE).order_by("pk")[:9])
    for loan in open_loans[:3]:  # in order: the cached-books path
        payment_post(
            actor=actor,
            loan=loan,
            amount=loan.installment_amount,
            received_on=TODAY,
            method="ach",
            reference=f"PAGE-IN-{loan.pk}",
        )
    for loan in open_loans[3:6]:  # back-dated: a full replay re-allocates
        payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal("25.00"),
            received_on=loan.first_due_date,
            method="check",
            reference=f"PAGE-BACK-{loan.pk}",
        )
    for loan in open_loans[6:9]:  # a returned payment adds its fee
        payment = (
            Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
            .order_by("received_on")
            .first()
        )
        if payment is not None:
            payment_reverse(
                actor=actor, payment=payment, reason=ReversalReason.NSF, note="test"
            )
    late_fees_assess(actor=actor, as_of=TODAY)
    assert assert_every_page_summary_equals_the_replay(TODAY) == 30


@time_machine.travel(TODAY, tick=False)
def test_a_payment_received_after_the_day_is_left_to_the_replay(book):
    loan = book("PG-1", principal="1200.00", term_months=12)
    payment_post(
        actor=get_system_user(),
        loan=loan,
        amount=Decimal("300.00"),
        received_on=date(2026, 3, 1),
        method="ach",
        reference="PG-1-MARCH",
    )
    loan.refresh_from_db()
    # As of a day before that payment, only the replay knows the balance then.
    earlier = date(2026, 2, 15)
    assert page_summary(loan, earlier) == loan_summary(loan, earlier)
    assert page_summary(loan, earlier).balance["principal"] == Decimal("1200.00")
    assert page_summary(loan, TODAY) == loan_summary(loan, TODAY)


@time_machine.travel(TODAY, tick=False)
def test_the_loan_page_shows_the_summary_without_replaying(
    client, auditor_audrey, book, monkeypatch
):
    loan = book("PG-2", principal="1200.00", term_months=12)
    payment_post(
        actor=get_system_user(),
        loan=loan,
        amount=Decimal("102.73"),
        received_on=date(2026, 2, 1),
        method="ach",
        reference="PG-2-FEB",
    )
    loan.refresh_from_db()
    expected = loan_summary(loan, TODAY)

    def no_replay(*args, **kwargs):
        raise AssertionError("the loan page replayed the engine")

    monkeypatch.setattr(engine, "replay", no_replay)
    client.force_login(auditor_audrey)
    page = client.get(reverse("loans:inspect", args=[loan.pk])).content.decode()
    # Installment 1 paid on its due date; March 1 is the oldest unpaid.
    assert expected.days_past_due == 245
    assert "principal outstanding (due and not yet due) $1,102.27" in page
    assert f"unpaid interest due {money_text(expected.balance['interest'])}" in page
    assert "245 days past due (121 or more days past due)" in page
    assert "next due March 1, 2026; matures January 1, 2027." in page
