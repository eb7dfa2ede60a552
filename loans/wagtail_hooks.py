from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from loans import views
from loans.viewsets import LoansGroup


@hooks.register("register_admin_viewset")
def register_loans():
    return LoansGroup()


@hooks.register("register_admin_urls")
def loans_action_urls():
    return [
        path(
            "loans-actions/applications/<int:pk>/<str:action>/",
            views.application_action,
            name="loan_application_action",
        ),
        path(
            "loans-actions/payments/<int:pk>/reverse/",
            views.payment_reversal,
            name="loan_payment_reversal",
        ),
        path(
            "loans-actions/loans/<int:pk>/payoff-letter/",
            views.payoff_letter,
            name="loan_payoff_letter",
        ),
        path(
            "loans-actions/bad-checks/",
            views.bad_check_ledger,
            name="loan_bad_check_ledger",
        ),
        path(
            "loans-actions/payment-batch/",
            views.payment_batch_upload,
            name="loan_payment_batch_upload",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def bad_check_menu_item():
    return PermissionMenuItem(
        "Bad-check ledger",
        reverse("loan_bad_check_ledger"),
        icon_name="warning",
        order=210,
        permission="loans.view_payment",
    )


@hooks.register("register_admin_menu_item")
def payment_batch_menu_item():
    return PermissionMenuItem(
        "Post payment batch",
        reverse("loan_payment_batch_upload"),
        icon_name="upload",
        order=211,
        permission="loans.post_payment",
    )


# --- Panels (loans/panels.py): the dashboard, and the customer's, account's
# and property's pages (portal.panels.RECORD_PANELS_HOOK) ---


@hooks.register("construct_homepage_panels")
def loans_dashboard_panels(request, panels):
    from loans.panels import DASHBOARD_PANELS
    from portal.panels import add_dashboard_panels

    add_dashboard_panels(request, panels, DASHBOARD_PANELS)


@hooks.register("portal_record_panels")
def loans_record_panels(request, record, panels):
    from loans.panels import RECORD_PANELS
    from portal.panels import add_record_panels

    add_record_panels(request, record, panels, RECORD_PANELS)
