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
        # Before the generic action path, which would match them too.
        path(
            "loans-actions/applications/<int:pk>/open-loan/",
            views.application_open_loan,
            name="loan_application_open_loan",
        ),
        path(
            "loans-actions/applications/<int:pk>/withdraw/",
            views.application_withdraw,
            name="loan_application_withdraw",
        ),
        path(
            "loans-actions/applications/<int:pk>/<str:action>/",
            views.application_action,
            name="loan_application_action",
        ),
        path(
            "loans-actions/loans/<int:pk>/generate-agreement/",
            views.loan_generate_agreement,
            name="loan_generate_agreement",
        ),
        path(
            "loans-actions/loans/<int:pk>/agreement/",
            views.loan_agreement,
            name="loan_agreement",
        ),
        path(
            "loans-actions/loans/<int:pk>/signature/",
            views.loan_record_signature,
            name="loan_record_signature",
        ),
        path(
            "loans-actions/loans/<int:pk>/checks/",
            views.loan_issue_disbursement,
            name="loan_issue_disbursement",
        ),
        path(
            "loans-actions/checks/<int:pk>/void/",
            views.check_void,
            name="loan_check_void",
        ),
        path(
            "loans-actions/checks/<int:pk>/reissue/",
            views.check_reissue,
            name="loan_check_reissue",
        ),
        path(
            "loans-actions/loans/<int:pk>/payments/",
            views.loan_post_payment,
            name="loan_post_payment",
        ),
        path(
            "loans-actions/payments/<int:pk>/receipt/",
            views.payment_receipt,
            name="loan_payment_receipt",
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
            "loans-actions/aging/run/",
            views.aging_run_start,
            name="loan_aging_run",
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


@hooks.register("register_admin_menu_item")
def aging_run_menu_item():
    return PermissionMenuItem(
        "Run aging",
        reverse("loan_aging_run"),
        icon_name="time",
        order=212,
        permission="loans.run_aging",
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
