from django.urls import path

from wagtail import hooks

from portal import views
from portal.viewsets import (
    ApprovalLimitChangeViewSet,
    ApprovalLimitViewSet,
    CoreRecordsGroup,
)


@hooks.register("construct_homepage_panels")
def drop_cms_panels(request, panels):
    from portal.panels import drop_cms_panels

    drop_cms_panels(request, panels)


@hooks.register("register_admin_viewset")
def register_core_records():
    return CoreRecordsGroup()


@hooks.register("register_admin_viewset")
def register_approval_limits():
    return ApprovalLimitViewSet()


@hooks.register("register_admin_viewset")
def register_approval_limit_changes():
    return ApprovalLimitChangeViewSet()


@hooks.register("register_admin_urls")
def audit_history_urls():
    return [
        path(
            "audit/<str:app_label>/<str:model_name>/<str:pk>/",
            views.audit_history,
            name="audit_history",
        ),
        path(
            "approval-limit-changes/<int:pk>/<str:action>/",
            views.approval_limit_change_action,
            name="approval_limit_change_action",
        ),
    ]
