"""A payment reversed after the period re-allocates the loan's later
payments: `loans.engine.sync` reverses their old entries and posts the new
ones on the same day (the reversal's), so the ledger as of a day inside the
period counts each payment once and a past PSC period's figures stay as
they were (before, the new entries were dated on the received day and the
period counted the later payment twice)."""

from datetime import date

import pytest

from tests.regulatory_reports.psc_portfolio import (
    Portfolio,
    build_report,
    office_user,
)

pytestmark = pytest.mark.django_db


def test_a_reversal_after_the_period_that_reallocates_leaves_the_period_alone(
    staff_alice, supervisor_bob
):
    p = Portfolio(office_user(), staff_alice, supervisor_bob)
    p.book("L-301", disbursed_on=date(2026, 6, 1), first_due=date(2026, 7, 1))
    july = p.pay("L-301", date(2026, 7, 1), "100.00", "L301-7")
    p.pay("L-301", date(2026, 8, 1), "100.00", "L301-8")
    before = build_report().figures["summary"]
    assert (before["principal_received"], before["principal_end"]) == (
        "200.00",
        "1000.00",
    )
    # July's payment returned in October: August's now pays July's
    # installment, a different allocation, so engine.sync re-allocates it.
    p.reverse(july, date(2026, 10, 5))
    after = build_report().figures["summary"]
    assert after == before
