"""Back-office screens of the adequacy part: reviews, the policy and deposit
decisions (plain admin views; records are never copied or deleted here)."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from liens import views_adequacy as v
from liens.menu import LIENS_MENU_HOOK


@hooks.register("register_admin_urls")
def adequacy_urls():
    return [
        path("liens-adequacy/", v.review_list, name="liens_adequacy_reviews"),
        path("liens-adequacy/run/", v.review_run, name="liens_adequacy_review_run"),
        path("liens-adequacy/<int:pk>/", v.review_page, name="liens_adequacy_review"),
        path(
            "liens-adequacy/<int:pk>/xlsx/",
            v.review_xlsx,
            name="liens_adequacy_review_xlsx",
        ),
        path(
            "liens-adequacy/follow-ups/<int:pk>/<str:action>/",
            v.follow_up_close,
            name="liens_adequacy_follow_up",
        ),
        path(
            "liens-adequacy/follow-ups/",
            v.follow_up_list,
            name="liens_adequacy_follow_ups",
        ),
        path("liens-adequacy/policy/", v.policy_edit, name="liens_adequacy_policy"),
        path(
            "liens-deposit-decisions/",
            v.decision_list,
            name="liens_deposit_decisions",
        ),
        path(
            "liens-deposit-decisions/new/",
            v.decision_propose,
            name="liens_deposit_decision_propose",
        ),
        path(
            "liens-deposit-decisions/<int:pk>/",
            v.decision_page,
            name="liens_deposit_decision",
        ),
        path(
            "liens-deposit-decisions/<int:pk>/<str:action>/",
            v.decision_decide,
            name="liens_deposit_decision_decide",
        ),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register(LIENS_MENU_HOOK)
def adequacy_menu_item():
    return _PermissionMenuItem(
        "Adequacy reviews",
        reverse("liens_adequacy_reviews"),
        icon_name="doc-full-inverse",
        order=400,
        permission="liens.view_adequacyreview",
    )


@hooks.register(LIENS_MENU_HOOK)
def deposit_decisions_menu_item():
    return _PermissionMenuItem(
        "Deposit decisions",
        reverse("liens_deposit_decisions"),
        icon_name="tick-inverse",
        order=410,
        permission="liens.view_depositdecision",
    )
