"""The monthly statement: activity since the last statement (payments with
what each paid, fees charged), the balance at its end and the next
installment; a Statement record per (loan, period end), kept as
correspondence; the month's run makes one per open loan, once."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest
import time_machine

from loans.models import LoanCorrespondence, Statement
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post
from loans.services.statements import statement_produce, statements_produce_month
from portal.audit import get_system_user
from tests.loans.letters_fixtures import *  # noqa: F403 (fixtures: loan, office)
from tests.loans.letters_fixtures import pdf_text

pytestmark = pytest.mark.django_db


def _text(statement: Statement) -> str:
    with statement.correspondence.rendered_file.open("rb") as handle:
        return pdf_text(handle.read())


@pytest.fixture
def paid_february(loan, cashiering_system):
    payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("188.71"),
        received_on=date(2026, 2, 3),
        method="check",
        reference="CHK-1",
    )
    return loan


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_first_statement_covers_disbursement_to_its_end(paid_february, staff_alice):
    statement = statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    assert (statement.period_start, statement.period_end) == (
        date(2026, 1, 1),
        date(2026, 2, 28),
    )
    assert statement.balance == Decimal("9852.96")
    assert statement.next_due_date == date(2026, 3, 1)
    assert statement.next_due_amount == Decimal("188.71")
    text = _text(statement)
    assert "Statement for loan L-1" in text
    assert "Statement period January 1, 2026 to February 28, 2026" in text
    # $188.71: interest $41.67 (1% of $10,000 a month at 5%), principal $147.04.
    assert "February 3, 2026 CHK-1 $188.71 $0.00 $41.67 $147.04" in text
    assert "No fees charged in this period." in text
    assert "Principal outstanding $9,852.96" in text
    assert "Balance $9,852.96" in text
    assert "Next installment: $188.71 due March 1, 2026." in text


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_next_statement_starts_the_day_after_the_last_and_shows_fees(
    paid_february, staff_alice
):
    statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    # Installment 2 (due March 1) is unpaid past its 15 grace days.
    late_fees_assess(actor=get_system_user(), as_of=date(2026, 3, 31))
    march = statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 3, 31)
    )
    assert march.period_start == date(2026, 3, 1)
    text = _text(march)
    assert "No payments received in this period." in text
    assert "March 17, 2026 Late fee (installment 2) $15.00" in text
    assert "Total fees $15.00" in text
    # Principal $9,852.96 + installment 2's interest $41.05 + the fee.
    assert "Interest due and unpaid $41.05" in text
    assert "Fees unpaid $15.00" in text
    assert "Balance $9,909.01" in text
    assert march.balance == Decimal("9909.01")
    assert "Next installment: $188.71 due April 1, 2026." in text


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_a_statement_is_made_once_per_loan_and_end(paid_february, staff_alice):
    first = statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    again = statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 2, 28)
    )
    assert again == first
    assert Statement.objects.count() == 1
    record = LoanCorrespondence.objects.get()
    assert (record.kind, record.loan, record.correspondence) == (
        "statement",
        paid_february,
        first.correspondence,
    )
    assert first.correspondence.customer == paid_february.customer


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_a_statement_ending_before_the_last_one_is_refused(paid_february, staff_alice):
    statement_produce(
        loan=paid_february, actor=staff_alice, period_end=date(2026, 3, 31)
    )
    with pytest.raises(ValidationError, match="already has a statement through"):
        statement_produce(
            loan=paid_february, actor=staff_alice, period_end=date(2026, 2, 28)
        )


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_the_months_run_makes_one_per_open_loan_and_a_rerun_none(
    book, office, staff_alice
):
    book("L-1")
    book("L-2", account_number="100002")
    assert statements_produce_month(actor=staff_alice, month=date(2026, 3, 1)) == 2
    assert statements_produce_month(actor=staff_alice, month=date(2026, 3, 1)) == 0
    assert sorted(
        Statement.objects.values_list("loan__number", "period_start", "period_end")
    ) == [
        ("L-1", date(2026, 1, 1), date(2026, 3, 31)),
        ("L-2", date(2026, 1, 1), date(2026, 3, 31)),
    ]


@time_machine.travel(date(2026, 4, 2), tick=False)
def test_the_command_produces_last_months_statements_as_the_system(book, office):
    from io import StringIO

    from django.core.management import call_command

    book("L-1")
    out = StringIO()
    call_command("produce_statements", stdout=out)
    assert out.getvalue().strip() == "1 statement(s) produced through 2026-03-31."
    statement = Statement.objects.get()
    assert statement.created_by == get_system_user()
