from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from programs import views
from programs.viewsets import ProgramsGroup

PROGRAMS_MENU_HOOK = "register_programs_menu_item"


class ProgramsMenu(ProgramsGroup):
    # Items registered under this hook join the Programs menu.
    submenu_hook = PROGRAMS_MENU_HOOK


class ProgramReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("programs.view_program")


@hooks.register("register_admin_viewset")
def register_programs():
    return ProgramsMenu()


@hooks.register(PROGRAMS_MENU_HOOK)
def program_report_menu_item():
    # The XLSX of the current fiscal year (programs.views.report_download).
    return ProgramReportMenuItem(
        "Program report (XLSX)",
        reverse("programs_report_download"),
        name="program-report",
        icon_name="download",
        order=900,
    )


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
            "programs-actions/report.xlsx",
            views.report_download,
            name="programs_report_download",
        ),
    ]
