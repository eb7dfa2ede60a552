from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from loans import views, views_letters, views_recovery
from loans.viewsets import LoansGroup


@hooks.register("register_admin_viewset")
def register_loans():
    return LoansGroup()


@hooks.register("register_admin_viewset")
def register_letter_templates():
    return views_letters.LetterTemplateViewSet()


@hooks.register("register_admin_urls")
def loans_recovery_urls():
    r = views_recovery
    return [
        path("loans-recovery/", r.recovery_queue, name="loan_recovery_queue"),
        path("loans-recovery/loans/<int:pk>/", r.loan_recovery, name="loan_recovery"),
        path(
            "loans-recovery/loans/<int:pk>/write-off/",
            r.write_off_propose,
            name="loan_write_off_propose",
        ),
        path(
            "loans-recovery/write-offs/<int:pk>/approve/",
            r.write_off_approve,
            name="loan_write_off_approve",
        ),
        path(
            "loans-recovery/write-offs/<int:pk>/reject/",
            r.write_off_reject,
            name="loan_write_off_reject",
        ),
        path(
            "loans-recovery/loans/<int:pk>/recoveries/",
            r.recovery_post,
            name="loan_recovery_post",
        ),
        path(
            "loans-recovery/recoveries/<int:pk>/reverse/",
            r.recovery_reverse,
            name="loan_recovery_reverse",
        ),
        path(
            "loans-recovery/loans/<int:pk>/referral/",
            r.attorney_referral,
            name="loan_attorney_referral",
        ),
        path(
            "loans-recovery/loans/<int:pk>/judgment/", r.judgment, name="loan_judgment"
        ),
        path(
            "loans-recovery/judgments/<int:pk>/satisfy/",
            r.judgment_satisfy,
            name="loan_judgment_satisfy",
        ),
        path(
            "loans-recovery/loans/<int:pk>/agency/",
            r.agency_placement,
            name="loan_agency_placement",
        ),
        path(
            "loans-recovery/placements/<int:pk>/recall/",
            r.placement_recall,
            name="loan_placement_recall",
        ),
        path(
            "loans-recovery/loans/<int:pk>/claim/",
            r.claim_prepare,
            name="loan_claim_prepare",
        ),
        path(
            "loans-recovery/claims/<int:pk>/package/",
            r.claim_pdf,
            name="loan_claim_pdf",
        ),
        path(
            "loans-recovery/claims/<int:pk>/<str:action>/",
            r.claim_action,
            name="loan_claim_action",
        ),
    ]


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
        # A loan's documents: coupon book, statements, notices (views_letters).
        path(
            "loans-actions/loans/<int:pk>/documents/",
            views_letters.loan_documents,
            name="loan_documents",
        ),
        path(
            "loans-actions/loans/<int:pk>/coupon-book/",
            views_letters.loan_coupon_book,
            name="loan_coupon_book",
        ),
        path(
            "loans-actions/loans/<int:pk>/statement/",
            views_letters.loan_statement,
            name="loan_statement",
        ),
        path(
            "loans-actions/loans/<int:pk>/notice/",
            views_letters.loan_send_notice,
            name="loan_send_notice",
        ),
        path(
            "loans-actions/correspondence/<int:pk>/file/",
            views_letters.loan_correspondence_file,
            name="loan_correspondence_file",
        ),
        path(
            "loans-actions/letter-templates/<int:pk>/preview/",
            views_letters.letter_template_preview,
            name="letter_template_preview",
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
def recovery_queue_menu_item():
    return PermissionMenuItem(
        "Write-offs and claims",
        reverse("loan_recovery_queue"),
        icon_name="warning",
        order=212,
        permission="loans.view_writeoff",
    )


@hooks.register("register_admin_menu_item")
def aging_run_menu_item():
    return PermissionMenuItem(
        "Run aging",
        reverse("loan_aging_run"),
        icon_name="time",
        order=213,
        permission="loans.run_aging",
    )


# --- Panels (loans/panels.py): the dashboard, and the customer's, account's
# and property's pages (portal.panels.RECORD_PANELS_HOOK) ---


@hooks.register("construct_homepage_panels")
def loans_dashboard_panels(request, panels):
    from loans.panels import DASHBOARD_PANELS
    from portal.panels import add_dashboard_panels

    add_dashboard_panels(request, panels, DASHBOARD_PANELS)


@hooks.register("construct_homepage_panels")
def collections_dashboard_panels(request, panels):
    from loans.panels_collections import DASHBOARD_PANELS
    from portal.panels import add_dashboard_panels

    add_dashboard_panels(request, panels, DASHBOARD_PANELS)


@hooks.register("portal_record_panels")
def loans_record_panels(request, record, panels):
    from loans.panels import RECORD_PANELS
    from portal.panels import add_record_panels

    add_record_panels(request, record, panels, RECORD_PANELS)
