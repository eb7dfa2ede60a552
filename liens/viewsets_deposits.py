"""Deposits back office: the instrument list (type, status, expiring soon)
and page, the claims list and page. The records change only through the
services (liens/views_deposits.py holds the action views); copy and delete
are off (ReadOnlyViewSet)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic

import django_filters

from liens.menu import LIENS_MENU_HOOK
from liens.models import DepositClaim, DepositInstrument, DepositPolicy
from liens.views_deposits import claim_page_context, instrument_page_context
from portal.viewsets import (
    NEVER,
    AuditedViewSet,
    DayColumn,
    MoneyColumn,
    ReadOnlyViewSet,
    RecordIndexView,
    RelatedObjectMixin,
)

EXPIRING_DAYS = 60


class InstrumentFilterSet(WagtailFilterSet):
    expiring_soon = django_filters.BooleanFilter(
        label=f"Expiring within {EXPIRING_DAYS} days", method="filter_expiring"
    )

    class Meta:
        model = DepositInstrument
        fields = ["instrument_type", "status"]

    def filter_expiring(self, queryset: Any, name: str, value: bool | None) -> Any:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status="held",
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )


class InstrumentInspectView(RelatedObjectMixin, generic.InspectView):
    template_name = "liens/deposits/instrument_inspect.html"
    related = ("holder", "created_by")

    def get_fields_context(self) -> list[Any]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(instrument_page_context(self.object, self.request.user))
        return context


class DepositInstrumentViewSet(ReadOnlyViewSet):
    name = "deposit_instruments"
    model = DepositInstrument
    icon = "lock"
    menu_label = "Deposit instruments"
    menu_hook = LIENS_MENU_HOOK
    index_view_class = RecordIndexView
    inspect_view_class = InstrumentInspectView
    filterset_class = InstrumentFilterSet
    list_display = [
        "reference",
        "instrument_type",
        "issuer",
        MoneyColumn("face_amount", label="Face amount"),
        DayColumn("effective_on", label="Effective"),
        DayColumn("expires_on", label="Expires"),
        "status",
    ]


class ClaimInspectView(RelatedObjectMixin, generic.InspectView):
    template_name = "liens/deposits/claim_inspect.html"
    related = ("instrument", "account", "account__customer")

    def get_fields_context(self) -> list[Any]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(claim_page_context(self.object, self.request.user))
        return context


class DepositClaimViewSet(ReadOnlyViewSet):
    name = "deposit_claims"
    model = DepositClaim
    icon = "warning"
    menu_label = "Deposit claims"
    menu_hook = LIENS_MENU_HOOK
    index_view_class = RecordIndexView
    inspect_view_class = ClaimInspectView
    list_filter = ["status"]
    list_display = [
        "reference",
        "instrument",
        "account",
        MoneyColumn("amount_claimed", label="Claimed"),
        MoneyColumn("settlement_amount", label="Settlement"),
        MoneyColumn("amount_recovered", label="Recovered"),
        DayColumn("filed_on", label="Filed"),
        "status",
    ]


def instrument_url(instrument: DepositInstrument) -> str:
    return reverse("deposit_instruments:inspect", args=[instrument.pk])


class DepositPolicyViewSet(AuditedViewSet):
    """The ordinance's interest rule for refunded cash deposits: one row a
    supervisor edits (its history kept); never added or deleted here."""

    name = "deposit_policy"
    model = DepositPolicy
    icon = "percent"
    menu_label = "Deposit interest policy"
    menu_hook = LIENS_MENU_HOOK
    never_actions = NEVER | {"add"}
    list_display = ["__str__", "pays_interest", "annual_rate"]
    form_fields = ["pays_interest", "annual_rate"]
