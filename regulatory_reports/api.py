"""Reports over the API: generate a report for a period, read any version,
download its workbook, review and file it.

    POST /api/v1/reports/{kind}         {"period": "2026-Q3"} → 201 the run
    GET  /api/v1/reports/{id}           the run (any version)
    GET  /api/v1/reports/{id}.xlsx      its workbook
    POST /api/v1/reports/{id}/review    → 200 (403 the generator, 409 the state)
    POST /api/v1/reports/{id}/file      → 200 (409 the state)

The body is {"id", "kind", "period", "start", "end", "version", "status"}
plus the kind's frozen figures (amounts two-decimal strings, dates ISO), plus
"amends" and "changes" on an amendment. A refusal for who is asking is 403;
for the run's state (reviewed twice, filed before review, anything on a
filed run, a superseded version) 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ninja import Router, Status
from ninja.errors import AuthorizationError, HttpError

from portal.api_auth import require_permission
from regulatory_reports.choices import FileFormat
from regulatory_reports.kinds import KINDS
from regulatory_reports.models import PREPARE, REVIEW, ReportFile, ReportRun
from regulatory_reports.schemas import ReportIn
from regulatory_reports.services import report_file, report_generate, report_review

router = Router(tags=["reports"])

VIEW = "regulatory_reports.view_reportrun"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Refusals about the person (four-eyes), not the run's state.
PERSONAL = {"same_person", "no_authority"}
GENERATOR = "The person who generated a report can't review it."


def run_body(run: ReportRun) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": run.pk,
        "kind": run.kind,
        "period": run.period,
        "start": run.start,
        "end": run.end,
        "version": run.version,
        "status": run.status,
        **run.figures,
    }
    if run.amends_id is not None:
        body["amends"] = run.amends_id
        body["changes"] = run.changes
    return body


def _run(run_id: int) -> ReportRun:
    return get_object_or_404(ReportRun, pk=run_id)


@router.get("/reports/{int:run_id}", response=dict[str, Any])
def report_detail(request: Any, run_id: int) -> Any:
    require_permission(request, VIEW, "view reports")
    return run_body(_run(run_id))


@router.get("/reports/{int:run_id}.xlsx")
def report_workbook(request: Any, run_id: int) -> Any:
    """The run's workbook, as filed (the file whose SHA-256 the run keeps)."""
    require_permission(request, VIEW, "view reports")
    run = _run(run_id)
    workbook = ReportFile.objects.filter(run=run, format=FileFormat.XLSX).first()
    if workbook is None:
        raise Http404(f"{run} has no workbook.")
    return FileResponse(
        workbook.file.open("rb"),
        as_attachment=True,
        filename=workbook.name,
        content_type=XLSX,
    )


def _act(request: Any, run_id: int, action: str) -> Any:
    """Review or file: 403 for who is asking, 409 for the run's state."""
    require_permission(request, REVIEW, f"{action} reports")
    run = _run(run_id)
    if action == "review" and run.generated_by_id == request.user.pk:
        if run.status == "generated":
            raise AuthorizationError(message=GENERATOR)
    service = report_review if action == "review" else report_file
    try:
        run = service(actor=request.user, run=run)
    except ValidationError as error:
        codes = (
            {e.code for e in error.error_list}
            if hasattr(error, "error_list")
            else set()
        )
        if codes & PERSONAL:
            raise AuthorizationError(message=error.messages[0]) from None
        raise HttpError(409, error.messages[0]) from None
    return run_body(run)


@router.post("/reports/{int:run_id}/review", response=dict[str, Any])
def report_review_endpoint(request: Any, run_id: int) -> Any:
    return _act(request, run_id, "review")


@router.post("/reports/{int:run_id}/file", response=dict[str, Any])
def report_file_endpoint(request: Any, run_id: int) -> Any:
    return _act(request, run_id, "file")


# Last: "/reports/{kind}" would otherwise take "/reports/5" and "/reports/5.xlsx".
@router.post("/reports/{kind}", response={201: dict[str, Any]})
def report_create(request: Any, kind: str, payload: ReportIn) -> Any:
    """Generate the report for a period that has ended: version 1, or an
    amendment of the filed version (which it names in "amends")."""
    require_permission(request, PREPARE, "prepare regulatory reports")
    if kind not in KINDS:
        raise Http404(f"There is no report called {kind!r}.")
    run = report_generate(actor=request.user, kind=kind, period_text=payload.period)
    return Status(201, run_body(run))
