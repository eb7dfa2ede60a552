"""The loans app's panels: on the back office's dashboard (registered in
loans/wagtail_hooks.py through `construct_homepage_panels`) and on the core
records' pages (customer, account, property: `portal.panels.RECORD_PANELS_HOOK`).

Each reads through loans.selectors in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from loans import selectors
from loans.models import Loan, LoanApplication
from loans.schedule import DPD_BUCKETS
from portal.db.precompiled import PrecompiledAbout
from portal.models import Customer, Property, UtilityAccount
from portal.money import ZERO
from portal.panels import (
    STAFF_ROLES,
    DashboardPanel,
    RecordPanel,
    age_in_days,
    counted_recently,
)
from portal.roles import CASHIER, PROGRAM_STAFF, SUPERVISOR


def _with_age(applications: list[LoanApplication]) -> list[LoanApplication]:
    """Each application's age in days since it was submitted (entered, for
    a draft), as `age_days`."""
    today = timezone.localdate()
    for application in applications:
        application.age_days = age_in_days(  # type: ignore[attr-defined]
            application.submitted_at or application.created_at, today
        )
    return applications


# --------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------


class LoanApprovalsPanel(DashboardPanel):
    """Supervisor: loan applications in review that they did not prepare."""

    name = "loan-approvals"
    roles = frozenset({SUPERVISOR})
    order = 10
    heading = "Loan applications waiting for your approval"
    template_name = "loans/admin/panels/approvals.html"

    def rows(self) -> Mapping[str, Any]:
        queue = selectors.applications_awaiting_approval(self.user)
        _with_age(queue.applications)
        return {"queue": queue}


class PaymentsTodayPanel(DashboardPanel):
    """Cashier: today's payments and batch files, with totals by method."""

    name = "payments-today"
    roles = frozenset({CASHIER})
    order = 12
    heading = "Today's loan payments"
    template_name = "loans/admin/panels/payments_today.html"

    def rows(self) -> Mapping[str, Any]:
        return {"day": selectors.cashier_day(timezone.localdate())}


class MyLoanApplicationsPanel(DashboardPanel):
    """Program staff: the loan applications they prepared or are the officer
    of, by step."""

    name = "my-loan-applications"
    roles = frozenset({PROGRAM_STAFF})
    order = 20
    heading = "My loan applications by step"
    template_name = "loans/admin/panels/my_applications.html"

    def rows(self) -> Mapping[str, Any]:
        steps = selectors.my_open_applications(self.user)
        for step in steps:
            _with_age(step.applications)
        return {"steps": steps}


class LoanInformationReceivedPanel(DashboardPanel):
    """Program staff: applications back in review after a request for
    information."""

    name = "loan-information-received"
    roles = frozenset({PROGRAM_STAFF})
    order = 30
    heading = "Loan applications back in review (information received)"
    template_name = "loans/admin/panels/information_received.html"

    def rows(self) -> Mapping[str, Any]:
        return {"queue": selectors.applications_back_in_review()}


class DelinquencyPanel(DashboardPanel):
    """Every staff role: open loans past due by DPD bucket."""

    name = "delinquency"
    roles = STAFF_ROLES
    order = 60
    heading = "Delinquent loans by days past due"
    template_name = "loans/admin/panels/delinquency.html"

    def rows(self) -> Mapping[str, Any]:
        today = timezone.localdate()
        # Counting every past-due loan reads tens of thousands of rows (75 ms
        # of PostgreSQL at 100,000 loans): counted once a minute.
        buckets, counted_at = counted_recently(
            self.name, today, lambda: selectors.delinquency_by_bucket(today)
        )
        index = reverse("loans:index")
        return {
            "as_of": today,
            "counted_at": counted_at,
            "kept_seconds": settings.PORTAL_DASHBOARD_COUNTS_SECONDS,
            "buckets": [
                {"bucket": b, "url": f"{index}?dpd_bucket={b.bucket}"} for b in buckets
            ],
            "count": sum(b.count for b in buckets),
            "outstanding": sum((b.outstanding for b in buckets), ZERO),
        }


DASHBOARD_PANELS: list[type[DashboardPanel]] = [
    LoanApprovalsPanel,
    PaymentsTodayPanel,
    MyLoanApplicationsPanel,
    LoanInformationReceivedPanel,
    DelinquencyPanel,
]

# The DPD buckets past due, in order (for the panel's tests and links).
PAST_DUE_BUCKETS = [name for name in DPD_BUCKETS if name != "current"]


# --------------------------------------------------------------------------
# The customer's, account's and property's pages
# --------------------------------------------------------------------------


def _put_customer(found: list[Any], record: Any) -> list[Any]:
    """On a customer's own page, the rows' customer is that customer: not
    read again with every row."""
    if isinstance(record, Customer):
        for row in found:
            row.customer = record
    return found


# The rows are about a customer, an account or a property; each panel's
# read is compiled once per process (portal.db.precompiled). On a
# customer's own page the rows' customer is not read (see _put_customer).
_ABOUT = {Customer: "customer_id", UtilityAccount: "account_id", Property: "parcel_id"}


def _with_customer(rows: Any, path: str) -> Any:
    return rows if path == "customer_id" else rows.select_related("customer")


_APPLICATIONS_ABOUT = PrecompiledAbout(
    _ABOUT,
    lambda path, key: _with_customer(
        LoanApplication.objects.filter(**{path: key})
        .select_related("product")
        .order_by("-created_at", "-pk"),
        path,
    ),
)
_LOANS_ABOUT = PrecompiledAbout(
    _ABOUT,
    lambda path, key: selectors.with_ledger_principal(
        _with_customer(Loan.objects.filter(**{path: key}).order_by("number"), path)
    ),
)


class LoanApplicationsRecordPanel(RecordPanel):
    name = "record-loan-applications"
    permission = "loans.view_loanapplication"
    order = 300
    heading = "Loan applications"
    template_name = "loans/admin/panels/record_applications.html"

    @classmethod
    def applies_to(cls, record: Any) -> bool:
        return isinstance(record, Customer | UtilityAccount | Property)

    def rows(self) -> Mapping[str, Any]:
        found = _APPLICATIONS_ABOUT(self.record)
        return {"applications": _put_customer(found, self.record)}


class LoansRecordPanel(RecordPanel):
    name = "record-loans"
    permission = "loans.view_loan"
    order = 310
    heading = "Loans"
    template_name = "loans/admin/panels/record_loans.html"

    @classmethod
    def applies_to(cls, record: Any) -> bool:
        return isinstance(record, Customer | UtilityAccount | Property)

    def rows(self) -> Mapping[str, Any]:
        today = timezone.localdate()
        found = selectors.put_balances(_LOANS_ABOUT(self.record), today)
        return {"loans": _put_customer(found, self.record), "as_of": today}


RECORD_PANELS: list[type[RecordPanel]] = [
    LoanApplicationsRecordPanel,
    LoansRecordPanel,
]
