from django.urls import path

from wagtail import hooks

from programs import views
from programs.viewsets import ProgramsGroup


@hooks.register("register_admin_viewset")
def register_programs():
    return ProgramsGroup()


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
