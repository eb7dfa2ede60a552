"""The Reports menu: the runs' list and the GL accounts (viewsets) and the run's page, its
workflow steps, downloads and the Generate form (admin URLs)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from wagtail import hooks

from regulatory_reports import viewsets as v


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
    ]
