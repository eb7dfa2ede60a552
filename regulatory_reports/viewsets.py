"""The Reports menu of the back office: the list of runs (every version),
a run's page (summary, each section's rows 50 to a page, the files with
their SHA-256, Review / File when the predicates allow), the confirmation
steps, and the Generate form for preparers. Every change goes through
`regulatory_reports.services`; a refusal is the service's message."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from portal.templatetags.portal_format import day_text, money_text, person_text
from portal.viewsets import (
    AuditedIndexView,
    AuditedViewSet,
    DayColumn,
    ReadOnlyViewSet,
    TextColumn,
    history_url,
)
from regulatory_reports.choices import FileFormat
from regulatory_reports.kinds import KINDS
from regulatory_reports.models import PREPARE, GLAccount, ReportFile, ReportRun
from regulatory_reports.services import report_file, report_generate, report_review

VIEW = "regulatory_reports.view_reportrun"
PER_PAGE = 50
TEMPLATES = "regulatory_reports/"
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _page(request: Any, template: str, title: str, **context: Any) -> Any:
    return render(
        request,
        TEMPLATES + template,
        {"page_title": title, "header_title": title, "header_icon": "table", **context},
    )


def _run(pk: int) -> ReportRun:
    return get_object_or_404(
        ReportRun.objects.select_related(
            "generated_by", "reviewed_by", "filed_by", "amends"
        ),
        pk=pk,
    )


def _label(key: str) -> str:
    return " › ".join(part.replace("_", " ").capitalize() for part in key.split("."))


def _value(value: Any, *, quantity: bool = False) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and AMOUNT.match(value):
        return f"{Decimal(value):,.2f}" if quantity else money_text(value)
    return str(value)


def summary_lines(
    figures: dict[str, Any],
    prefix: str = "",
    *,
    quantities: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """The frozen figures as (label, value) lines: amounts as $1,234.56,
    the kind's quantities (kWh, therms) as 1,234.50."""
    lines: list[tuple[str, str]] = []
    for key, value in figures.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            lines.extend(summary_lines(value, path, quantities=quantities))
        else:
            lines.append((_label(path), _value(value, quantity=key in quantities)))
    return lines


def run_facts(run: ReportRun) -> list[tuple[str, str]]:
    facts = [
        ("Report", run.title),
        ("Period", f"{run.period} ({day_text(run.start)} to {day_text(run.end)})"),
        ("Version", str(run.version)),
        ("Status", run.get_status_display()),
        (
            "Generated",
            f"by {person_text(run.generated_by)}, {day_text(run.generated_at)}",
        ),
    ]
    if run.amends is not None:
        facts.append(("Amends", f"version {run.amends.version}"))
    if run.reviewed_by is not None:
        facts.append(
            (
                "Reviewed",
                f"by {person_text(run.reviewed_by)}, {day_text(run.reviewed_at)}",
            )
        )
    if run.filed_by is not None:
        facts.append(
            ("Filed", f"by {person_text(run.filed_by)}, {day_text(run.filed_at)}")
        )
    return facts


def _section_pages(request: Any, run: ReportRun) -> list[dict[str, Any]]:
    """Each section's rows, as the filed CSV holds them, 50 to a page
    (`?<section>=N`)."""
    sections = []
    for report_file_row in ReportFile.objects.filter(run=run, format=FileFormat.CSV):
        with report_file_row.file.open("rb") as handle:
            rows = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig")))
        header, body = (rows[0], rows[1:]) if rows else ([], [])
        page = Paginator(body, PER_PAGE).get_page(
            request.GET.get(report_file_row.section)
        )
        sections.append(
            {
                "key": report_file_row.section,
                "title": _label(report_file_row.section),
                "header": header,
                "page": page,
            }
        )
    return sections


BUTTONS = {"review": "Review", "file": "File"}


def report_run_page(request: Any, pk: int) -> Any:
    _require(request, VIEW)
    run = _run(pk)
    return _page(
        request,
        "run_page.html",
        str(run),
        run=run,
        facts=run_facts(run),
        summary=summary_lines(
            run.figures,
            quantities=KINDS[run.kind].quantity_figures
            if run.kind in KINDS
            else frozenset(),
        ),
        sections=_section_pages(request, run),
        files=ReportFile.objects.filter(run=run),
        buttons=[
            {"label": label, "url": reverse(f"report_run_{action}", args=[run.pk])}
            for action, label in BUTTONS.items()
            if getattr(run, f"can_{action}")(request.user)
        ],
        history_url=history_url(run),
    )


def report_file_download(request: Any, pk: int) -> Any:
    _require(request, "regulatory_reports.view_reportfile")
    found = get_object_or_404(ReportFile, pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=found.name)


WARNINGS = {
    "review": "You confirm that you checked this report's figures. A different "
    "person from the one who generated it must review it.",
    "file": "Filing is final: the figures, the files and their SHA-256 can never "
    "change afterwards; a correction is a new version that amends this one.",
}


def _step(request: Any, pk: int, action: str) -> Any:
    _require(request, VIEW)
    run = _run(pk)
    back = reverse("report_run_page", args=[run.pk])
    if not (verdict := getattr(run, f"can_{action}")(request.user)):
        messages.error(request, verdict.reason)
        return redirect(back)
    if request.method == "POST":
        service = report_review if action == "review" else report_file
        try:
            run = service(actor=request.user, run=run)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            done = "reviewed" if action == "review" else "filed"
            messages.success(request, f"{run} {done}.")
        return redirect(back)
    return _page(
        request,
        "confirm.html",
        f"{BUTTONS[action]} {run}",
        facts=run_facts(run),
        warning=WARNINGS[action],
        submit=BUTTONS[action],
        back_url=back,
    )


def report_run_review(request: Any, pk: int) -> Any:
    return _step(request, pk, "review")


def report_run_file(request: Any, pk: int) -> Any:
    return _step(request, pk, "file")


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="Report")
    period = forms.CharField(
        max_length=20,
        help_text="2026-07 (a month), 2026-Q3 (a quarter) or FY2026 (a fiscal year).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        choices: list[tuple[str, str]] = sorted(
            ((key, kind.title) for key, kind in KINDS.items()), key=lambda c: c[1]
        )
        kind_field.choices = choices


def report_generate_view(request: Any) -> Any:
    _require(request, PREPARE)
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = report_generate(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                period_text=form.cleaned_data["period"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, f"{run} generated.")
            return redirect("report_run_page", run.pk)
    return _page(
        request,
        "generate.html",
        "Generate a report",
        form=form,
        back_url=reverse("report_runs:index"),
    )


class ReportRunIndexView(AuditedIndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        if not self.request.user.has_perm(PREPARE):
            return []
        return [
            HeaderButton(
                "Generate a report", url=reverse("report_generate"), icon_name="plus"
            )
        ]


class ReportRunViewSet(ReadOnlyViewSet):
    """Every version of every report; a row opens the run's page."""

    name = "report_runs"
    model = ReportRun
    icon = "table"
    menu_label = "Report runs"
    inspect_view_enabled = False
    index_view_class = ReportRunIndexView
    list_display = [
        TitleColumn(
            "title",
            label="Report",
            accessor="title",
            get_url=lambda run: reverse("report_run_page", args=[run.pk]),
        ),
        TextColumn("period", label="Period"),
        TextColumn("version", label="Version"),
        TextColumn(
            "status", label="Status", accessor=lambda run: run.get_status_display()
        ),
        TextColumn(
            "generated_by",
            label="Generated by",
            accessor=lambda run: person_text(run.generated_by),
        ),
        DayColumn("generated_at", label="Generated on"),
        TextColumn(
            "reviewed_by",
            label="Reviewed by",
            accessor=lambda run: person_text(run.reviewed_by),
        ),
        TextColumn(
            "filed_by", label="Filed by", accessor=lambda run: person_text(run.filed_by)
        ),
    ]
    list_filter = ["status"]

    def list_queryset(self) -> Any:
        return ReportRun.objects.select_related(
            "generated_by", "reviewed_by", "filed_by"
        )


class GLAccountViewSet(AuditedViewSet):
    """The GL account codes the journal export uses, one per role (data):
    supervisors change a code or name, or retire an account by unticking
    "active"; never deleted. The roles come from a data migration."""

    name = "gl_accounts"
    model = GLAccount
    icon = "list-ul"
    menu_label = "GL accounts"
    list_display = ["code", "name", "role", "active"]
    form_fields = ["role", "code", "name", "active"]
    search_fields = ["code", "name"]


class ReportsGroup(ModelViewSetGroup):
    menu_label = "Reports"
    menu_icon = "table"
    menu_order = 280
    items = [ReportRunViewSet, GLAccountViewSet]
