"""The loans' counts by oldest unpaid due date (loans.models.counts, kept by
triggers) give the same figure as counting the loans, for every DPD bucket
and in all, after every writer: the portfolio generator, postings in order
and back-dated, reversals, late fees, the nightly run, a raw UPDATE and a
deletion. The loan list reads its count from them when nothing but a DPD
bucket narrows it, and counts the rows otherwise."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from loans.choices import LoanStatus, PaymentStatus, ReversalReason
from loans.models import Loan, LoanDayCount, Payment
from loans.portfolio import generate_portfolio
from loans.schedule import DPD_BUCKETS
from loans.selectors import filter_by_dpd_bucket, loan_list_with_dpd, loans_counted
from loans.services.aging import aging_run
from loans.services.late_fees import late_fees_assess
from loans.services.payments import payment_post, payment_reverse, payoff_quote
from portal.audit import get_system_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)


def assert_counts_true(*days: date) -> None:
    assert loans_counted(None, TODAY) == Loan.objects.count()
    for day in days:
        for bucket in DPD_BUCKETS:
            counted = filter_by_dpd_bucket(loan_list_with_dpd(day), bucket, day).count()
            assert loans_counted(bucket, day) == counted, (day, bucket)


@time_machine.travel(TODAY, tick=False)
def test_a_generated_portfolio_leaves_one_count_row_per_date():
    # Its loans' +1 rows are folded, as the nightly run folds them: a
    # portfolio of 100,000 loans must not leave 100,000 rows to sum.
    generate_portfolio(actor=get_system_user(), loans=30, seed=12, today=TODAY)
    days = list(LoanDayCount.objects.values_list("day", flat=True))
    assert len(days) == len(set(days))
    assert len(days) == len(
        set(Loan.objects.values_list("oldest_unpaid_due", flat=True))
    )
    assert_counts_true(TODAY)


@time_machine.travel(TODAY, tick=False)
def test_the_counts_equal_counting_the_loans_after_every_writer():
    actor = get_system_user()
    generate_portfolio(actor=actor, loans=30, seed=11, today=TODAY)
    later = TODAY + timedelta(days=75)
    assert_counts_true(TODAY, later)
    assert loans_counted("current", TODAY) < 30  # some are late

    open_loans = list(Loan.objects.filter(status=LoanStatus.ACTIVE).order_by("pk")[:9])
    for loan in open_loans[:3]:
        payment_post(
            actor=actor,
            loan=loan,
            amount=min(loan.installment_amount * 2, payoff_quote(loan, TODAY).total),
            received_on=TODAY,
            method="ach",
            reference=f"COUNT-IN-{loan.pk}",
        )
    for loan in open_loans[3:6]:
        payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal("25.00"),
            received_on=loan.disbursed_on,
            method="check",
            reference=f"COUNT-BACK-{loan.pk}",
        )
    for loan in open_loans[6:9]:
        payment = (
            Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED)
            .order_by("received_on")
            .first()
        )
        if payment is not None:
            payment_reverse(
                actor=actor, payment=payment, reason=ReversalReason.NSF, note="test"
            )
    assert_counts_true(TODAY, later)

    late_fees_assess(actor=actor, as_of=TODAY)
    assert_counts_true(TODAY, later)
    rows_before = LoanDayCount.objects.count()
    aging_run(as_of=TODAY, actor=actor, trigger="command")
    assert_counts_true(TODAY, later)
    # Folded: one row per date, none of them zero.
    days = list(LoanDayCount.objects.values_list("day", flat=True))
    assert len(days) == len(set(days)) <= rows_before
    assert not LoanDayCount.objects.filter(loans=0).exists()

    # Whatever writes the row: a raw update, a deletion.
    loan = open_loans[0]
    Loan.objects.filter(pk=loan.pk).update(oldest_unpaid_due=TODAY - timedelta(days=45))
    assert_counts_true(TODAY)
    assert loans_counted("31-60", TODAY) >= 1


def count_queries(sql: list[str]) -> list[str]:
    return [q for q in sql if re.search(r'COUNT\(\*\).*FROM "loans_loan"', q)]


@time_machine.travel(TODAY, tick=False)
def test_the_loan_list_reads_its_count_from_the_counts_unless_narrowed_otherwise(
    client, staff_alice
):
    generate_portfolio(actor=get_system_user(), loans=25, seed=3, today=TODAY)
    client.force_login(staff_alice)
    url = reverse("loans:index")
    for query, counted in [
        ("", True),
        ("?dpd_bucket=current", True),
        ("?dpd_bucket=1-30", True),
        ("?status=active", False),
        ("?status=active&dpd_bucket=current", False),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url + query)
        assert response.status_code == 200
        sql = [q["sql"] for q in ctx.captured_queries]
        assert bool(count_queries(sql)) is not counted, query
        assert any("loans_loandaycount" in q for q in sql) is counted, query
        listed = response.context["paginator"].count
        expected = loan_list_with_dpd(TODAY)
        if "status" in query:
            expected = expected.filter(status="active")
        if "dpd_bucket" in query:
            bucket = query.split("dpd_bucket=")[1]
            expected = filter_by_dpd_bucket(expected, bucket, TODAY)
        assert listed == expected.count(), query


def count_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger")
        return {
            row[0] for row in cursor.fetchall() if row[0].startswith("loan_day_count_")
        }


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_no_count_behind_and_puts_the_triggers_back(book):
    triggers = count_triggers()
    assert triggers
    book("FL-1", principal="1200.00", term_months=12)
    assert loans_counted(None, TODAY) == 1
    call_command("flush", interactive=False, verbosity=0)
    assert LoanDayCount.objects.count() == 0
    assert count_triggers() == triggers
