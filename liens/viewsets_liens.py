"""Back-office lists of liens and payoff requests (Liens & deposits menu).

Both are facts changed only through their services: no add, edit, copy or
delete here; a row opens the record's own page (liens/views_liens.py) with
its workflow buttons."""

from __future__ import annotations

from typing import Any

from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from liens.menu import LIENS_MENU_HOOK
from liens.models import Lien, PayoffRequest
from portal.viewsets import DayColumn, MoneyColumn, ReadOnlyViewSet, RecordIndexView


class LienInspectView(generic.InspectView):
    """A lien's page is its own (facts in words, buttons), not a field dump."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return redirect("lien_page", kwargs["pk"])


class LienViewSet(ReadOnlyViewSet):
    name = "liens"
    model = Lien
    icon = "lock"
    menu_label = "Liens"
    menu_hook = LIENS_MENU_HOOK
    inspect_view_class = LienInspectView
    index_view_class = RecordIndexView
    list_display = [
        TitleColumn(
            "reference",
            label="Lien",
            accessor="reference",
            get_url=lambda lien: reverse("lien_page", args=[lien.pk]),
        ),
        Column("loan", label="Loan"),
        Column("parcel", label="Property", accessor="parcel.parcel_id"),
        MoneyColumn("amount", label="Amount"),
        Column("position", label="Position"),
        Column("status", label="Status", accessor="get_status_display"),
        DayColumn("recorded_on", label="Recorded"),
    ]
    list_filter = ["status"]
    search_fields = ["loan__number", "parcel__parcel_id", "instrument_number"]

    def list_queryset(self) -> Any:
        return Lien.objects.select_related("loan", "parcel")


class PayoffRequestInspectView(generic.InspectView):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return redirect("lien_payoff_request", kwargs["pk"])


class PayoffRequestViewSet(ReadOnlyViewSet):
    name = "lien_payoff_requests"
    model = PayoffRequest
    icon = "mail"
    menu_label = "Payoff requests"
    menu_hook = LIENS_MENU_HOOK
    inspect_view_class = PayoffRequestInspectView
    index_view_class = RecordIndexView
    list_display = [
        TitleColumn(
            "reference",
            label="Request",
            accessor="reference",
            get_url=lambda p: reverse("lien_payoff_request", args=[p.pk]),
        ),
        Column("loan", label="Loan"),
        Column("title_company", label="Title company"),
        DayColumn("closing_on", label="Closing"),
        DayColumn("payoff_on", label="Payoff good through"),
    ]
    search_fields = ["loan__number", "title_company", "contact_name"]

    def list_queryset(self) -> Any:
        return PayoffRequest.objects.select_related("loan")
