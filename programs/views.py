"""Back-office action views for rebate applications (thin: they call the
services and show the service's message on refusal), and report downloads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from programs import services as svc
from programs.exports import payment_register_xlsx, program_report_xlsx
from programs.models import RebateApplication
from programs.selectors import program_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@require_POST
def rebate_action(request: Any, pk: int, action: str) -> Any:
    if not request.user.has_perm("programs.change_rebateapplication"):
        raise PermissionDenied
    app = get_object_or_404(RebateApplication, pk=pk)
    data, user = request.POST, request.user
    try:
        if action == "start_review":
            svc.rebate_start_review(actor=user, application=app)
        elif action == "request_information":
            svc.rebate_request_information(
                actor=user, application=app, question=data.get("question", "")
            )
        elif action == "provide_information":
            svc.rebate_provide_information(actor=user, application=app)
        elif action == "schedule_inspection":
            svc.rebate_schedule_inspection(
                actor=user, application=app, inspect_on=_date(data.get("inspect_on"))
            )
        elif action == "record_inspection":
            svc.rebate_record_inspection(
                actor=user,
                application=app,
                passed=data.get("passed") == "yes",
                notes=data.get("notes", ""),
                inspected_on=_date(data.get("inspected_on")),
            )
        elif action == "approve":
            amount = Decimal(data["amount"]) if data.get("amount") else None
            svc.rebate_approve(
                actor=user,
                application=app,
                amount=amount,
                reasons=data.get("reasons", ""),
            )
        elif action == "deny":
            svc.rebate_deny(
                actor=user, application=app, reasons=data.get("reasons", "")
            )
        elif action == "cancel":
            svc.rebate_cancel(
                actor=user, application=app, reason=data.get("reason", "")
            )
        elif action == "pay_by_check":
            batch = svc.rebate_checks_issue(
                actor=user,
                applications=[app],
                first_check_number=int(data.get("check_number", "")),
                paid_on=_date(data.get("paid_on")),
            )
            response = HttpResponse(payment_register_xlsx(batch), content_type=XLSX)
            response["Content-Disposition"] = (
                f'attachment; filename="payment-register-{batch.pk}.xlsx"'
            )
            return response
        elif action == "pay_by_bill_credit":
            content = svc.rebate_bill_credits_export(
                actor=user, applications=[app], credit_date=_date(data.get("paid_on"))
            )
            response = HttpResponse(content, content_type="text/csv")
            response["Content-Disposition"] = (
                f'attachment; filename="bill-credits-{app.reference}.csv"'
            )
            return response
        else:
            raise ValidationError(f"Unknown action {action!r}.")
        messages.success(request, f"{app.reference}: done.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except (InvalidOperation, ValueError, KeyError):
        messages.error(request, "Check the amounts, numbers and dates entered.")
    return redirect("rebate_applications:inspect", app.pk)


def report_download(request: Any) -> Any:
    if not request.user.has_perm("programs.view_program"):
        raise PermissionDenied
    response = HttpResponse(program_report_xlsx(program_report()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="program-report.xlsx"'
    return response
