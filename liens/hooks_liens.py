"""Back-office screens of the liens part (viewsets, admin URLs, menu items)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from liens import views_liens as v
from liens.menu import LIENS_MENU_HOOK
from liens.viewsets_liens import LienViewSet, PayoffRequestViewSet
from portal.panels import RECORD_PANELS_HOOK


@hooks.register("register_admin_viewset")
def register_lien_viewsets() -> list[Any]:
    return [LienViewSet(), PayoffRequestViewSet()]


@hooks.register("register_admin_urls")
def lien_urls() -> list[Any]:
    return [
        path("liens/lien/<int:pk>/", v.lien_page, name="lien_page"),
        path("liens/lien/<int:pk>/record/", v.lien_record, name="lien_record"),
        path(
            "liens/lien/<int:pk>/prepare-satisfaction/",
            v.lien_prepare_satisfaction,
            name="lien_prepare_satisfaction",
        ),
        path("liens/lien/<int:pk>/satisfy/", v.lien_satisfy, name="lien_satisfy"),
        path(
            "liens/loan/<int:loan_pk>/create-lien/", v.lien_create, name="lien_create"
        ),
        path(
            "liens/loan/<int:loan_pk>/payoff-request/",
            v.payoff_request_new,
            name="lien_payoff_request_new",
        ),
        path(
            "liens/payoff-request/<int:pk>/",
            v.payoff_request_page,
            name="lien_payoff_request",
        ),
        path(
            "liens/register/", v.lien_register_download, name="lien_register_download"
        ),
    ]


class _LienMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("liens.view_lien"))


@hooks.register(LIENS_MENU_HOOK)
def lien_register_menu_item() -> MenuItem:
    return _LienMenuItem(
        "Lien register", reverse("lien_register_download"), icon_name="download"
    )


@hooks.register(RECORD_PANELS_HOOK)
def lien_record_panels(request: Any, record: Any, panels: list[Any]) -> None:
    from liens.panels_liens import LiensRecordPanel
    from portal.panels import add_record_panels

    add_record_panels(request, record, panels, [LiensRecordPanel])
