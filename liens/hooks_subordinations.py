"""Back-office screens of the subordinations part (viewsets, admin URLs, menu items)."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from liens import views_subordinations as v
from liens.menu import LIENS_MENU_HOOK
from liens.viewsets_subordinations import (
    subordination_request_viewset,
    subordination_rule_viewset,
)


@hooks.register("register_admin_viewset")
def register_subordination_viewsets():
    return [subordination_request_viewset, subordination_rule_viewset]


@hooks.register("register_admin_urls")
def subordination_urls():
    base = "liens-subordinations/<int:pk>/"
    return [
        path(
            "liens-subordinations/new/",
            v.subordination_request_new,
            name="subordination_new",
        ),
        path(base, v.subordination_request, name="subordination_request"),
        path(f"{base}match/", v.subordination_match, name="subordination_match"),
        path(
            f"{base}start-review/",
            v.subordination_start_review,
            name="subordination_start_review",
        ),
        path(f"{base}approve/", v.subordination_approve, name="subordination_approve"),
        path(f"{base}deny/", v.subordination_deny, name="subordination_deny"),
        path(
            f"{base}agreement/",
            v.subordination_generate_agreement,
            name="subordination_generate_agreement",
        ),
        path(f"{base}record/", v.subordination_record, name="subordination_record"),
        path(
            f"{base}withdraw/", v.subordination_withdraw, name="subordination_withdraw"
        ),
    ]


class _StaffEntryItem(MenuItem):
    def is_shown(self, request):  # noqa: ANN001, ANN201
        return request.user.has_perm("liens.review_subordination")


@hooks.register(LIENS_MENU_HOOK)
def register_subordination_entry_item():
    return _StaffEntryItem(
        "New subordination request",
        reverse("subordination_new"),
        icon_name="plus",
        order=210,
    )
