"""The journal CSV the city imports is exactly the layout of
docs/gl-journal-export.md: UTF-8 with a BOM, CRLF, the header, then one line
per journal line with two-decimal amounts (0.00 on the other side), byte for
byte for a small known case."""

from datetime import date

import pytest
import time_machine

from loans.choices import PaymentMethod
from regulatory_reports.models import ReportFile
from regulatory_reports.services import report_generate
from tests.regulatory_reports.journal_portfolio import pay
from tests.regulatory_reports.psc_portfolio import Portfolio, office_user

pytestmark = pytest.mark.django_db

EXPECTED = (
    "\ufeff"
    "Date,Account,Account name,Debit,Credit,Description\r\n"
    "2026-07-01,1010,Cash — loan fund,106.62,0.00,"
    "Payment to interest; Payment to principal\r\n"
    "2026-07-01,1310,Loans receivable,0.00,94.62,Payment to principal\r\n"
    "2026-07-01,4410,Interest income — loans,0.00,12.00,Payment to interest\r\n"
    "2026-07-15,1310,Loans receivable,600.00,0.00,Disbursement (principal lent)\r\n"
    "2026-07-15,1010,Cash — loan fund,0.00,600.00,Disbursement (principal lent)\r\n"
).encode()


def test_the_journal_csv_matches_the_documented_layout_byte_for_byte(
    staff_alice, supervisor_bob
):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("L-1", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1),
           product="EE", rate="12.00")  # fmt: skip
    pay(p, "L-1", date(2026, 7, 1), "106.62", "L1-7", PaymentMethod.ACH)
    p.book("L-2", disbursed_on=date(2026, 7, 15), first_due=date(2026, 8, 15),
           principal="600.00", term=6)  # fmt: skip
    with time_machine.travel(date(2026, 8, 3), tick=False):
        run = report_generate(
            actor=supervisor_bob, kind="gl_journal", period_text="2026-07"
        )
    found = ReportFile.objects.get(run=run, format="csv", section="journal")
    assert found.name == "gl_journal-2026-07-v1-journal.csv"
    with found.file.open("rb") as handle:
        assert handle.read() == EXPECTED


def test_the_example_in_the_documentation_is_the_tested_file():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "gl-journal-export.md").read_text()
    example = EXPECTED.decode("utf-8-sig").replace("\r\n", "\n")
    assert f"```\n{example}```" in doc
