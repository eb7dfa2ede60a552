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


@hooks.register("filter_form_submissions_for_user")
def office_staff_read_contact_messages(user, editable_forms):
    """Messages sent through the public contact form are office work: the
    staff who serve customers read them (back office: Forms) without being
    allowed to edit the contact page itself."""
    from wagtail.models import Page

    from portal.models.pages import ContactPage

    if not user.has_perm("portal.view_customer"):
        return editable_forms
    contact_pages = Page.objects.type(ContactPage)
    return (editable_forms | contact_pages).distinct()
