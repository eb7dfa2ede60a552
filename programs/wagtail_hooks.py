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
