"""Back-office lists of subordination requests and of the rules (data).

A request's row opens its page (liens.views_subordinations), which shows
the review facts and the buttons its predicates allow; the list filters by
status and "waiting for my approval". Requests change only through their
services: no add, edit, copy or delete here (staff enter one with the
entry form). Rules are edited by supervisors (threshold, on/off)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic

import django_filters

from liens.choices_subordinations import SubordinationStatus
from liens.menu import LIENS_MENU_HOOK
from liens.models import SubordinationRequest, SubordinationRule
from portal.viewsets import (
    NEVER,
    AuditedViewSet,
    DayColumn,
    MoneyColumn,
    ReadOnlyViewSet,
)


class SubordinationFilterSet(WagtailFilterSet):
    waiting = django_filters.BooleanFilter(
        label="Waiting for my approval",
        method="filter_waiting",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = SubordinationRequest
        fields = ["status", "source"]

    def filter_waiting(self, queryset: Any, name: str, value: bool | None) -> Any:
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(status=SubordinationStatus.IN_REVIEW).exclude(
            prepared_by_id=getattr(user, "pk", None)
        )


class SubordinationInspectView(generic.InspectView):
    """A request's page is its review page, not the generic field dump."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.has_perm("liens.view_subordinationrequest"):
            raise PermissionDenied
        return redirect("subordination_request", kwargs["pk"])


class SubordinationRequestViewSet(ReadOnlyViewSet):
    name = "subordination_requests"
    model = SubordinationRequest
    icon = "arrow-down"
    menu_label = "Subordination requests"
    menu_hook = LIENS_MENU_HOOK
    inspect_view_class = SubordinationInspectView
    filterset_class = SubordinationFilterSet
    list_display = [
        "reference",
        "institution",
        "borrower_name",
        MoneyColumn("new_loan_amount", label="New loan"),
        "status",
        DayColumn("received_at", label="Received"),
    ]
    search_fields = ["reference", "institution", "borrower_name", "property_text"]

    def list_queryset(self) -> Any:
        return SubordinationRequest.objects.select_related("lien")


class SubordinationRuleViewSet(AuditedViewSet):
    """Rules are data: a supervisor turns one off or changes the CLTV limit.
    No new kinds of rule here (each code has its check in the selectors)."""

    name = "subordination_rules"
    model = SubordinationRule
    icon = "list-ul"
    menu_label = "Subordination rules"
    menu_hook = LIENS_MENU_HOOK
    never_actions = NEVER | {"add"}
    list_display = ["name", "threshold_percent", "is_active"]
    form_fields = ["name", "description", "threshold_percent", "is_active"]


subordination_request_viewset = SubordinationRequestViewSet()
subordination_rule_viewset = SubordinationRuleViewSet()
