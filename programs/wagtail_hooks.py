from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from programs import views
from programs.viewsets import ProgramsGroup

PROGRAMS_MENU_HOOK = "register_programs_menu_item"


class ProgramsMenu(ProgramsGroup):
    # Items registered under this hook join the Programs menu.
    submenu_hook = PROGRAMS_MENU_HOOK


# Pages that are not a model's list join the Programs menu through this hook.
PROGRAMS_SUBMENU = PROGRAMS_MENU_HOOK


@hooks.register("register_admin_viewset")
def register_programs():
    return ProgramsMenu()


@hooks.register("register_admin_urls")
def programs_action_urls():
    return [
        path(
            "programs-actions/applications/<int:pk>/<str:action>/",
            views.rebate_action,
            name="rebate_action",
        ),
        path(
            "programs-actions/payments/<int:pk>/void/",
            views.rebate_payment_void,
            name="rebate_payment_void",
        ),
        path(
            "programs-actions/programs/<int:pk>/budget/",
            views.program_change_budget,
            name="program_change_budget",
        ),
        path(
            "programs-actions/applications/<int:pk>/<str:action>/confirm/",
            views.rebate_action_confirm,
            name="rebate_action_confirm",
        ),
        path(
            "programs-actions/payments/<int:pk>/void/confirm/",
            views.rebate_payment_void_confirm,
            name="rebate_payment_void_confirm",
        ),
        path(
            "programs-actions/pay-by-check/",
            views.rebate_checks_pay,
            name="rebate_checks_pay",
        ),
        path(
            "programs-actions/check-batches/<int:pk>/",
            views.rebate_check_batch,
            name="rebate_check_batch",
        ),
        path(
            "programs-actions/check-batches/<int:pk>/register.xlsx",
            views.rebate_check_batch_register,
            name="rebate_check_batch_register",
        ),
        path(
            "programs-actions/bill-credits/",
            views.rebate_bill_credits_pay,
            name="rebate_bill_credits_pay",
        ),
        path(
            "programs-actions/bill-credit-files/",
            views.rebate_bill_credit_files,
            name="rebate_bill_credit_files",
        ),
        path(
            "programs-actions/bill-credit-files/<int:pk>/",
            views.rebate_bill_credit_file,
            name="rebate_bill_credit_file",
        ),
        path(
            "programs-actions/bill-credit-files/<int:pk>/file.csv",
            views.rebate_bill_credit_file_download,
            name="rebate_bill_credit_file_download",
        ),
    ]


class PayMenuItem(MenuItem):
    """Shown to those who may pay rebates."""

    def is_shown(self, request):
        return bool(views.may_pay(request.user))


@hooks.register(PROGRAMS_SUBMENU)
def pay_by_check_menu_item():
    return PayMenuItem(
        "Pay approved rebates",
        reverse("rebate_checks_pay"),
        name="pay-approved-rebates",
        icon_name="success",
        order=6,
    )


@hooks.register(PROGRAMS_SUBMENU)
def bill_credits_menu_item():
    return PayMenuItem(
        "Credit rebates on bills",
        reverse("rebate_bill_credits_pay"),
        name="credit-rebates-on-bills",
        icon_name="success",
        order=7,
    )


class CreditFilesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("programs.view_rebatebillcreditfile")


@hooks.register(PROGRAMS_SUBMENU)
def bill_credit_files_menu_item():
    return CreditFilesMenuItem(
        "Bill-credit files",
        reverse("rebate_bill_credit_files"),
        name="bill-credit-files",
        icon_name="download",
        order=8,
    )


# --- Panels (programs/panels.py): the dashboard, and the customer's,
# account's and property's pages (portal.panels.RECORD_PANELS_HOOK) ---


@hooks.register("construct_homepage_panels")
def programs_dashboard_panels(request, panels):
    from portal.panels import add_dashboard_panels
    from programs.panels import DASHBOARD_PANELS

    add_dashboard_panels(request, panels, DASHBOARD_PANELS)


@hooks.register("portal_record_panels")
def programs_record_panels(request, record, panels):
    from portal.panels import add_record_panels
    from programs.panels import RECORD_PANELS

    add_record_panels(request, record, panels, RECORD_PANELS)
