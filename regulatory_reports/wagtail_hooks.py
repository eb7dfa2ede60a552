"""The Reports menu: the runs' list and the GL accounts (viewsets) and the run's page, its
workflow steps, downloads and the Generate form (admin URLs)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from programs.wagtail_hooks import PROGRAMS_MENU_HOOK
from regulatory_reports import viewsets as v
from regulatory_reports.views_download import program_report_download


class ProgramReportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("programs.view_program"))


@hooks.register("register_admin_viewset")
def register_reports_menu() -> Any:
    return v.ReportsGroup()


@hooks.register("register_admin_urls")
def report_urls() -> list[Any]:
    return [
        path("reports/run/<int:pk>/", v.report_run_page, name="report_run_page"),
        path(
            "reports/run/<int:pk>/review/",
            v.report_run_review,
            name="report_run_review",
        ),
        path("reports/run/<int:pk>/file/", v.report_run_file, name="report_run_file"),
        path(
            "reports/file/<int:pk>/",
            v.report_file_download,
            name="report_file_download",
        ),
        path("reports/generate/", v.report_generate_view, name="report_generate"),
        path(
            "reports/download/program.xlsx",
            program_report_download,
            name="programs_report_download",
        ),
    ]


@hooks.register(PROGRAMS_MENU_HOOK)
def program_report_menu_item() -> MenuItem:
    # The program report kind's workbook, this fiscal year to date.
    return ProgramReportMenuItem(
        "Program report (XLSX)",
        reverse("programs_report_download"),
        name="program-report",
        icon_name="download",
        order=900,
    )
