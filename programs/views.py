"""Back-office action views for rebate applications and payments, the program
budget change, and report downloads.

Thin: each view reads its form (amounts through portal.money's
MoneyFormField), asks the record's `can_<action>` predicate (refusing with
its reason), calls the service and reports the outcome in words a person
reads ("RA-000004: review started."). Nothing here changes a record itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.money import format_money
from programs import services as svc
from programs.exports import payment_register_xlsx, program_report_xlsx
from programs.forms import FORMS, BudgetChangeForm, VoidPaymentForm
from programs.models import Program, RebateApplication, RebatePayment
from programs.selectors import budget_position, program_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The application's workflow actions, in the order its page offers them.
ACTIONS = [
    "start_review",
    "request_information",
    "provide_information",
    "schedule_inspection",
    "record_inspection",
    "approve",
    "deny",
    "cancel",
    "pay_by_check",
    "pay_by_bill_credit",
]

LABELS = {
    "start_review": "Start review",
    "request_information": "Request information",
    "provide_information": "Information received",
    "schedule_inspection": "Schedule inspection",
    "record_inspection": "Record inspection",
    "approve": "Approve",
    "deny": "Deny",
    "cancel": "Cancel approval",
    "pay_by_check": "Pay by check",
    "pay_by_bill_credit": "Pay by bill credit",
}


def action_form(action: str, app: RebateApplication, data: Any = None) -> forms.Form:
    """The form for one action on the application's page (ids kept apart so
    that many forms can share the page)."""
    initial = {}
    if action == "approve":
        initial["amount"] = app.requested_amount.amount
    return FORMS[action](data, initial=initial, auto_id=f"id_{action}_%s")


def _report_form(request: Any, form: forms.Form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _report(request: Any, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _today_or(day: date | None) -> date:
    return day or timezone.localdate()


def _download(content: Any, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Each handler calls its service and returns the success message, or the
# response to send (a download).
Handler = Callable[[Any, RebateApplication, dict[str, Any]], "str | HttpResponse"]


def _start_review(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_start_review(actor=user, application=app)
    return "review started."


def _request_information(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_request_information(
        actor=user, application=app, question=data["question"]
    )
    return "information requested; the application waits for the customer."


def _provide_information(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_provide_information(actor=user, application=app)
    return "information received; review resumed."


def _schedule_inspection(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_schedule_inspection(
        actor=user, application=app, inspect_on=data["inspect_on"]
    )
    return f"inspection scheduled for {svc.day_text(data['inspect_on'])}."


def _record_inspection(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_record_inspection(
        actor=user,
        application=app,
        passed=data["passed"],
        notes=data["notes"],
        inspected_on=_today_or(data["inspected_on"]),
    )
    return "inspection passed." if data["passed"] else "inspection failed."


def _approve(user: Any, app: RebateApplication, data: dict) -> str:
    app = svc.rebate_approve(
        actor=user, application=app, amount=data["amount"], reasons=data["reasons"]
    )
    approved = app.approved_amount
    assert approved is not None  # rebate_approve has just set it
    amount = format_money(approved.amount)
    return f"approved; {amount} reserved from {app.program.code}'s budget."


def _deny(user: Any, app: RebateApplication, data: dict) -> str:
    svc.rebate_deny(actor=user, application=app, reasons=data["reasons"])
    return "denied."


def _cancel(user: Any, app: RebateApplication, data: dict) -> str:
    app = svc.rebate_cancel(actor=user, application=app, reason=data["reason"])
    if app.approved_amount is None:  # marked approved outside rebate_approve
        return (
            "approval cancelled; it had no approved amount, so nothing is "
            f"released to {app.program.code}'s budget."
        )
    amount = format_money(app.approved_amount.amount)
    return f"approval cancelled; {amount} released to {app.program.code}'s budget."


def _pay_by_check(user: Any, app: RebateApplication, data: dict) -> HttpResponse:
    batch = svc.rebate_checks_issue(
        actor=user,
        applications=[app],
        first_check_number=data["check_number"],
        paid_on=_today_or(data["paid_on"]),
    )
    return _download(
        payment_register_xlsx(batch), XLSX, f"payment-register-{batch.pk}.xlsx"
    )


def _pay_by_bill_credit(user: Any, app: RebateApplication, data: dict) -> HttpResponse:
    content = svc.rebate_bill_credits_export(
        actor=user, applications=[app], credit_date=_today_or(data["paid_on"])
    )
    return _download(content, "text/csv", f"bill-credits-{app.reference}.csv")


HANDLERS: dict[str, Handler] = {
    "start_review": _start_review,
    "request_information": _request_information,
    "provide_information": _provide_information,
    "schedule_inspection": _schedule_inspection,
    "record_inspection": _record_inspection,
    "approve": _approve,
    "deny": _deny,
    "cancel": _cancel,
    "pay_by_check": _pay_by_check,
    "pay_by_bill_credit": _pay_by_bill_credit,
}


@require_POST
def rebate_action(request: Any, pk: int, action: str) -> Any:
    if not request.user.has_perm("programs.view_rebateapplication"):
        raise PermissionDenied
    if action not in HANDLERS:
        raise Http404("No such action.")
    app = get_object_or_404(RebateApplication, pk=pk)
    back = redirect("rebate_applications:inspect", app.pk)
    verdict = getattr(app, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return back
    form = action_form(action, app, request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return back
    try:
        outcome = HANDLERS[action](request.user, app, form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
        return back
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, f"{app.reference}: {outcome}")
    return back


# --------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------


@require_POST
def rebate_payment_void(request: Any, pk: int) -> Any:
    if not request.user.has_perm("programs.view_rebatepayment"):
        raise PermissionDenied
    payment = get_object_or_404(RebatePayment, pk=pk)
    back = redirect("rebate_payments:inspect", payment.pk)
    verdict = payment.can_void(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return back
    form = VoidPaymentForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return back
    try:
        svc.rebate_payment_void(
            actor=request.user,
            payment=payment,
            reason=form.cleaned_data["reason"],
            voided_on=_today_or(form.cleaned_data["voided_on"]),
        )
    except ValidationError as error:
        _report(request, error)
        return back
    messages.success(
        request,
        f"{payment.application.reference}: payment of "
        f"{format_money(payment.amount)} voided; the approval is reserved again.",
    )
    return back


# --------------------------------------------------------------------------
# Program budget
# --------------------------------------------------------------------------


def program_change_budget(request: Any, pk: int) -> Any:
    if not request.user.has_perm("programs.view_program"):
        raise PermissionDenied
    program = get_object_or_404(Program, pk=pk)
    verdict = program.can_change_budget(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect("programs:index")
    form = BudgetChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        old = program.budget.amount
        try:
            program = svc.program_budget_change(
                actor=request.user,
                program=program,
                budget=form.cleaned_data["budget"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{program.code}: budget changed from {format_money(old)} to "
                f"{format_money(program.budget.amount)}.",
            )
            return redirect("programs:index")
    position = budget_position(program)
    return render(
        request,
        "programs/admin/program_budget.html",
        {
            "page_title": f"Change the budget of {program.code}",
            "header_icon": "pick",
            "program": program,
            "form": form,
            "budget": format_money(position.budget),
            "committed": format_money(position.committed + position.paid),
            "remaining": format_money(position.remaining),
        },
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the
    form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


def report_download(request: Any) -> Any:
    if not request.user.has_perm("programs.view_program"):
        raise PermissionDenied
    return _download(program_report_xlsx(program_report()), XLSX, "program-report.xlsx")
