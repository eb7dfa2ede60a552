"""The programs app's panels: on the back office's dashboard (registered in
programs/wagtail_hooks.py through `construct_homepage_panels`) and on the
core records' pages (customer, account, property:
`portal.panels.RECORD_PANELS_HOOK`).

Each reads through programs.selectors in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from portal.models import Customer, Property, UtilityAccount
from portal.panels import STAFF_ROLES, DashboardPanel, RecordPanel, age_in_days
from portal.roles import PROGRAM_STAFF, SUPERVISOR
from programs import selectors
from programs.models import RebateApplication


def _with_age(applications: list[RebateApplication]) -> list[RebateApplication]:
    """Each application's age in days since it was submitted, as `age_days`."""
    today = timezone.localdate()
    for application in applications:
        application.age_days = age_in_days(application.submitted_at, today)  # type: ignore[attr-defined]
    return applications


# --------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------


class RebateApprovalsPanel(DashboardPanel):
    """Supervisor: rebate applications ready to approve that they did not
    prepare."""

    name = "rebate-approvals"
    roles = frozenset({SUPERVISOR})
    order = 11
    heading = "Rebate applications ready for your approval"
    template_name = "programs/admin/panels/approvals.html"

    def rows(self) -> Mapping[str, Any]:
        queue = selectors.rebates_awaiting_approval(self.user)
        _with_age(queue.applications)
        return {"queue": queue}


class MyRebateApplicationsPanel(DashboardPanel):
    """Program staff: the rebate applications they entered, by step."""

    name = "my-rebate-applications"
    roles = frozenset({PROGRAM_STAFF})
    order = 21
    heading = "My rebate applications by step"
    template_name = "programs/admin/panels/my_applications.html"

    def rows(self) -> Mapping[str, Any]:
        steps = selectors.my_open_rebate_applications(self.user)
        for step in steps:
            _with_age(step.applications)
        return {"steps": steps}


class RebateInformationReceivedPanel(DashboardPanel):
    """Program staff: applications whose missing information came in."""

    name = "rebate-information-received"
    roles = frozenset({PROGRAM_STAFF})
    order = 31
    heading = "Rebate applications back in review (information received)"
    template_name = "programs/admin/panels/information_received.html"

    def rows(self) -> Mapping[str, Any]:
        return {"queue": selectors.rebates_back_in_review()}


class InspectionsDuePanel(DashboardPanel):
    """Program staff: inspections scheduled up to a week ahead (and any
    overdue) that are not recorded yet."""

    name = "inspections-due"
    roles = frozenset({PROGRAM_STAFF})
    order = 40
    heading = "Inspections due"
    template_name = "programs/admin/panels/inspections_due.html"
    days_ahead = 7

    def rows(self) -> Mapping[str, Any]:
        queue = selectors.inspections_due(days_ahead=self.days_ahead)
        today = timezone.localdate()
        for application in queue.applications:
            scheduled = application.inspection_scheduled_for
            days = (scheduled - today).days if scheduled else 0
            application.due_words = (  # type: ignore[attr-defined]
                "today"
                if days == 0
                else f"in {days} day{'s' if days != 1 else ''}"
                if days > 0
                else f"{-days} day{'s' if days != -1 else ''} overdue"
            )
        return {"queue": queue, "days_ahead": self.days_ahead}


class ProgramBudgetsPanel(DashboardPanel):
    """Every staff role: each active program's budget, committed, paid and
    remaining."""

    name = "program-budgets"
    roles = STAFF_ROLES
    order = 70
    heading = "Program budgets"
    template_name = "programs/admin/panels/budgets.html"

    def rows(self) -> Mapping[str, Any]:
        budgets = selectors.active_program_budgets()
        zero = Decimal("0.00")
        return {
            "budgets": budgets,
            "budget": sum((p.budget for _, p in budgets), zero),
            "committed": sum((p.committed for _, p in budgets), zero),
            "paid": sum((p.paid for _, p in budgets), zero),
            "remaining": sum((p.remaining for _, p in budgets), zero),
        }


DASHBOARD_PANELS: list[type[DashboardPanel]] = [
    RebateApprovalsPanel,
    MyRebateApplicationsPanel,
    RebateInformationReceivedPanel,
    InspectionsDuePanel,
    ProgramBudgetsPanel,
]


# --------------------------------------------------------------------------
# The customer's, account's and property's pages
# --------------------------------------------------------------------------


class RebateApplicationsRecordPanel(RecordPanel):
    name = "record-rebate-applications"
    permission = "programs.view_rebateapplication"
    order = 400
    heading = "Rebate applications"
    template_name = "programs/admin/panels/record_applications.html"

    @classmethod
    def applies_to(cls, record: Any) -> bool:
        return isinstance(record, Customer | UtilityAccount | Property)

    def rows(self) -> Mapping[str, Any]:
        return {"applications": selectors.rebate_applications_about(self.record)}


RECORD_PANELS: list[type[RecordPanel]] = [RebateApplicationsRecordPanel]
