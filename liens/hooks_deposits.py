"""Back-office screens of the deposits part (viewsets, admin URLs, menu items)."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from liens import views_deposits
from liens.menu import LIENS_MENU_HOOK
from liens.viewsets_deposits import (
    DepositClaimViewSet,
    DepositInstrumentViewSet,
    DepositPolicyViewSet,
)


@hooks.register("register_admin_viewset")
def register_deposit_viewsets():
    return [DepositInstrumentViewSet(), DepositClaimViewSet(), DepositPolicyViewSet()]


@hooks.register("register_admin_urls")
def deposit_action_urls():
    v = views_deposits
    return [
        path("deposits/new/", v.instrument_new, name="deposit_instrument_new"),
        path(
            "deposits/<int:pk>/<slug:action>/",
            v.instrument_action,
            name="deposit_instrument_action",
        ),
        path(
            "deposit-claims/<int:pk>/<slug:action>/",
            v.claim_action,
            name="deposit_claim_action",
        ),
    ]


class _ManageDepositItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("liens.manage_deposit")


@hooks.register(LIENS_MENU_HOOK)
def new_deposit_menu_item():
    return _ManageDepositItem(
        "New deposit instrument",
        reverse("deposit_instrument_new"),
        icon_name="plus",
        order=210,
    )
