"""Collections in the Loans menu: the work queue (with each loan's
collections page and the arrangement screens) and the collection ladder,
which a supervisor edits (with its audit history)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from loans import views_collections as views
from loans.models import CollectionStep
from portal.viewsets import AuditedViewSet


class _PermissionMenuItem(MenuItem):
    permission = ""

    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(self.permission)


class CollectionsViewSet(ViewSet):
    name = "collections"
    # Wagtail's own (media) collections live at /admin/collections/.
    url_prefix = "loan-collections"
    icon = "warning"
    menu_label = "Collections work queue"

    @property
    def menu_item_class(self) -> Any:
        return type(
            "CollectionsMenuItem",
            (_PermissionMenuItem,),
            {"permission": "loans.view_collectionaction"},
        )

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", views.queue, name="index"),
            path("loans/<int:pk>/", views.loan_collections, name="loan"),
            path(
                "loans/<int:pk>/arrangement/",
                views.arrangement_propose,
                name="arrangement_propose",
            ),
            path(
                "arrangements/<int:pk>/approve/",
                views.arrangement_approve,
                name="arrangement_approve",
            ),
            path(
                "arrangements/<int:pk>/cancel/",
                views.arrangement_cancel,
                name="arrangement_cancel",
            ),
        ]


class CollectionStepViewSet(AuditedViewSet):
    """The collection ladder (data): supervisors add and change steps; a
    step is retired by unticking "active", never deleted."""

    name = "collection_steps"
    model = CollectionStep
    icon = "list-ol"
    menu_label = "Collection ladder"
    list_display = [
        "order",
        "label",
        "dpd_threshold",
        "after_action",
        "action_type",
        "channel",
        "template_code",
        "is_active",
    ]
    form_fields = [
        "order",
        "label",
        "dpd_threshold",
        "after_action",
        "action_type",
        "channel",
        "template_code",
        "is_active",
    ]
