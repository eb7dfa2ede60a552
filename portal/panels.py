"""Panels: the small Components the back-office dashboard and the core
records' pages are built from.

Each app contributes its own panels through its own wagtail_hooks.py, so
portal never imports an app (docs/architecture.md):

- the dashboard: Wagtail's `construct_homepage_panels` hook. A dashboard
  panel names the roles it concerns (`roles`); `add_dashboard_panels` adds
  only the panels the user's roles concern, so a panel nobody asked for runs
  no query.
- the customer, account and property pages: the `RECORD_PANELS_HOOK` hook,
  called as `fn(request, record, panels)`; an app appends a `RecordPanel`
  about the record (the customer's loans, its rebate applications, ...)
  when the user may see what it shows.

A panel reads through its app's selectors in a fixed number of queries,
however many records there are (tested at 10 and 100 records).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from wagtail import hooks
from wagtail.admin.ui.components import Component

from portal.roles import AUDITOR, CASHIER, PROGRAM_STAFF, SUPERVISOR

RECORD_PANELS_HOOK = "portal_record_panels"

# The roles that work in the back office on customers' money (not customers,
# not content editors).
STAFF_ROLES = frozenset({PROGRAM_STAFF, SUPERVISOR, CASHIER, AUDITOR})


def age_in_days(since: date | datetime | None, today: date | None = None) -> int:
    """Whole days from a date (or a moment, in the site's time zone) to today."""
    if since is None:
        return 0
    if isinstance(since, datetime):
        since = (
            timezone.localtime(since).date()
            if timezone.is_aware(since)
            else since.date()
        )
    return max(((today or timezone.localdate()) - since).days, 0)


def user_roles(user: Any) -> frozenset[str]:
    """The role (group) names of a user, read once per request (with the
    user's permissions, in the same query: portal.auth.backends)."""
    from portal.auth.backends import load_roles_and_permissions

    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "_portal_roles", None) is None:
        load_roles_and_permissions(user)
    roles: frozenset[str] = user._portal_roles
    return roles


def counted_recently(name: str, as_of: date, count: Any) -> tuple[Any, datetime]:
    """For a dashboard panel counting over the whole portfolio: `count()`'s
    result as of a day and the moment it was counted, kept for
    PORTAL_DASHBOARD_COUNTS_SECONDS in the shared cache (every process sees
    the same), so a busy office counts tens of thousands of rows once a
    minute instead of on every view. The panel shows when it was counted;
    its figures are all of that one moment. Keyed by the day, so a new day
    counts afresh."""
    from django.conf import settings
    from django.core.cache import cache

    seconds = settings.PORTAL_DASHBOARD_COUNTS_SECONDS
    key = f"portal:dashboard:{name}:{as_of.isoformat()}"
    kept = cache.get(key) if seconds > 0 else None
    if kept is None:
        kept = (count(), timezone.now())
        if seconds > 0:
            cache.set(key, kept, seconds)
    return kept


class Panel(Component):
    """A titled box with rows. Subclasses set `heading`, `template_name` and
    `order`, and return their rows from `rows()` (a dict for the template)."""

    name = ""  # the panel's id on the page
    heading = ""
    order = 100
    template_name = ""

    def __init__(self, request: Any) -> None:
        self.request = request

    @property
    def user(self) -> Any:
        return self.request.user

    def rows(self) -> Mapping[str, Any]:
        return {}

    def get_context_data(
        self, parent_context: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        return {"panel": self, "request": self.request, **self.rows()}


class DashboardPanel(Panel):
    """A panel on the back office's home page for the roles it concerns
    (a superuser sees every panel)."""

    roles: frozenset[str] = frozenset()

    @classmethod
    def concerns(cls, user: Any) -> bool:
        if not getattr(user, "is_active", False):
            return False
        return bool(user.is_superuser or cls.roles & user_roles(user))


def add_dashboard_panels(
    request: Any, panels: list[Any], candidates: Iterable[type[DashboardPanel]]
) -> None:
    """For a `construct_homepage_panels` hook: the candidates the user's
    roles concern."""
    panels.extend(
        panel(request) for panel in candidates if panel.concerns(request.user)
    )


class RecordPanel(Panel):
    """A section of a core record's page (customer, account, property) that
    shows the record's neighbours from another app. `permission` is what the
    user needs to see them."""

    permission = ""

    def __init__(self, request: Any, record: Any) -> None:
        super().__init__(request)
        self.record = record

    @classmethod
    def applies_to(cls, record: Any) -> bool:
        """Whether this panel has something to say about this kind of record."""
        return True

    @classmethod
    def shown(cls, record: Any, user: Any) -> bool:
        return cls.applies_to(record) and (
            not cls.permission or user.has_perm(cls.permission)
        )


def add_record_panels(
    request: Any,
    record: Any,
    panels: list[Any],
    candidates: Iterable[type[RecordPanel]],
) -> None:
    """For a `RECORD_PANELS_HOOK` hook: the candidates about this kind of
    record that the user may see."""
    panels.extend(
        panel(request, record)
        for panel in candidates
        if panel.shown(record, request.user)
    )


def record_panels(request: Any, record: Any) -> list[Any]:
    """Every app's panels about this record, in their order."""
    panels: list[Any] = []
    for contribute in hooks.get_hooks(RECORD_PANELS_HOOK):
        contribute(request, record, panels)
    return sorted(panels, key=lambda panel: panel.order)


def drop_cms_panels(request: Any, panels: list[Any]) -> None:
    """For `construct_homepage_panels`: Wagtail's own dashboard panels (pages
    and workflows to moderate, recent page edits, locked pages) are about the
    public site's pages. Someone with no permission on any page sees them
    empty, yet each ran its queries on every visit to the dashboard: they
    are left out for them."""
    from wagtail.admin.auth import user_has_any_page_permission
    from wagtail.admin.views.home import (
        LockedPagesPanel,
        RecentEditsPanel,
        UserObjectsInWorkflowModerationPanel,
        WorkflowObjectsToModeratePanel,
    )

    if user_has_any_page_permission(request.user):
        return
    cms = (
        LockedPagesPanel,
        RecentEditsPanel,
        UserObjectsInWorkflowModerationPanel,
        WorkflowObjectsToModeratePanel,
    )
    panels[:] = [panel for panel in panels if not isinstance(panel, cms)]
