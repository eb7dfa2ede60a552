"""The delinquency aging report for 2026-Q3: as of September 30, counting
only payments received by then, every open loan past due with its bucket,
days past due, past-due amount and principal, and every bucket's count and
sums (current included).

Zero-interest loans of $1,200.00 over 12 months ($100.00 a month):

- A-1: due from July 1, paid July, August, September: current, $900.00 owed.
- A-2: due from June 1, paid June only: 91 days past due, $300.00 past due,
  $1,100.00 owed; $300.00 received October 5 (after the period) doesn't count.
- A-3: due from August 15, never paid: 46 days, $200.00.
- A-4: due from September 29, never paid: 1 day, $100.00.
- A-6: due from January 1, never paid, defaulted, written off October 10
  (after the period): still listed, 272 days, $900.00, $1,200.00 owed.
- A-7: disbursed October 1, after the period: not aged.
"""

from datetime import date

import pytest
import time_machine

from loans.choices import LoanStatus
from loans.models import Loan
from loans.services.writeoffs import write_off_approve, write_off_propose
from portal.audit import audit_context
from regulatory_reports.kinds import kind_for
from tests.regulatory_reports.kind_helpers import (
    assert_money_columns,
    assert_totals_are_the_sums,
    generate,
    table,
    workbook,
)
from tests.regulatory_reports.psc_portfolio import Portfolio, office_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 15)


@pytest.fixture
def portfolio(staff_alice, supervisor_bob):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("A-6", disbursed_on=date(2025, 12, 1), first_due=date(2026, 1, 1))
    p.book("A-2", disbursed_on=date(2026, 5, 1), first_due=date(2026, 6, 1))
    p.book("A-1", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1))
    p.book("A-3", disbursed_on=date(2026, 7, 15), first_due=date(2026, 8, 15))
    p.book("A-4", disbursed_on=date(2026, 8, 30), first_due=date(2026, 9, 29))
    p.pay("A-2", date(2026, 6, 1), "100.00", "A2-6")
    for month in (7, 8, 9):
        p.pay("A-1", date(2026, month, 1), "100.00", f"A1-{month}")
    p.book("A-7", disbursed_on=date(2026, 10, 1), first_due=date(2026, 11, 1))
    p.pay("A-2", date(2026, 10, 5), "300.00", "A2-10")
    loan = Loan.objects.get(number="A-6")
    with audit_context(user=None, reason="test: defaulted by the nightly job"):
        loan.status = LoanStatus.DEFAULTED
        loan.defaulted_on = date(2026, 4, 1)
        loan.save(update_fields=["status", "defaulted_on"])
    with time_machine.travel(date(2026, 10, 10), tick=False):
        proposal = write_off_propose(
            actor=staff_alice, loan=loan, as_of=date(2026, 10, 10), reason="Gone"
        )
        write_off_approve(actor=supervisor_bob, write_off=proposal)
    return p


EXPECTED_BUCKETS = {
    "current": {"count": 1, "past_due": "0.00", "principal": "900.00"},
    "1-30": {"count": 1, "past_due": "100.00", "principal": "1200.00"},
    "31-60": {"count": 1, "past_due": "200.00", "principal": "1200.00"},
    "61-90": {"count": 0, "past_due": "0.00", "principal": "0.00"},
    "91-120": {"count": 1, "past_due": "300.00", "principal": "1100.00"},
    "121+": {"count": 1, "past_due": "900.00", "principal": "1200.00"},
}


def test_every_past_due_loan_as_of_the_periods_last_day_with_its_amounts(portfolio):
    with time_machine.travel(TODAY, tick=False):
        result = kind_for("aging").build(start=date(2026, 7, 1), end=date(2026, 9, 30))
    (section,) = result.sections
    assert [
        (r["loan"], r["customer"], r["product"], r["bucket"], r["dpd"])
        + (str(r["past_due"]), str(r["principal"]))
        for r in section.rows
    ] == [
        ("A-2", "Borrower A-2", "ZI", "91-120", 91, "300.00", "1100.00"),
        ("A-3", "Borrower A-3", "ZI", "31-60", 46, "200.00", "1200.00"),
        ("A-4", "Borrower A-4", "ZI", "1-30", 1, "100.00", "1200.00"),
        ("A-6", "Borrower A-6", "ZI", "121+", 272, "900.00", "1200.00"),
    ]
    assert result.figures == {
        "as_of": "2026-09-30",
        "count": 4,
        "past_due": "1500.00",
        "principal": "4700.00",
        "buckets": EXPECTED_BUCKETS,
    }


def test_the_aging_report_through_the_api_and_its_workbook(
    portfolio, supervisor_bob, api_client_for
):
    with time_machine.travel(TODAY, tick=False):
        client = api_client_for(supervisor_bob)
        body = generate(client, "aging")
        book = workbook(client, body["id"])
    assert (body["kind"], body["period"], body["version"]) == ("aging", "2026-Q3", 1)
    assert (body["count"], body["past_due"], body["principal"]) == (
        4,
        "1500.00",
        "4700.00",
    )
    assert body["buckets"] == EXPECTED_BUCKETS
    assert book.sheetnames == ["Summary", "Loans past due"]
    t = table(book["Loans past due"])
    assert t.header == [
        "Loan",
        "Customer",
        "Product",
        "Days past due bucket",
        "Days past due",
        "Past-due amount",
        "Outstanding principal",
    ]
    assert t.rows == [
        ["A-2", "Borrower A-2", "ZI", "91-120", 91, 300, 1100],
        ["A-3", "Borrower A-3", "ZI", "31-60", 46, 200, 1200],
        ["A-4", "Borrower A-4", "ZI", "1-30", 1, 100, 1200],
        ["A-6", "Borrower A-6", "ZI", "121+", 272, 900, 1200],
    ]
    assert t.totals == ["Total", None, None, None, None, 1500, 4700]
    assert_totals_are_the_sums(t, [5, 6])
    assert_money_columns(t, [5, 6])
    assert t.formats[4] == "#,##0"


def test_the_aging_report_reads_in_as_many_queries_whatever_the_loans(portfolio):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with time_machine.travel(TODAY, tick=False):
            with CaptureQueriesContext(connection) as captured:
                kind_for("aging").build(start=date(2026, 7, 1), end=date(2026, 9, 30))
        return len(captured)

    before = queries()
    for n in range(8, 12):
        portfolio.book(
            f"A-{n}", disbursed_on=date(2026, 5, 1), first_due=date(2026, 6, 1)
        )
    assert queries() == before == 3
