"""Back-office action views for rebate applications and payments, the program
budget change, and report downloads.

Thin: each view reads its form (amounts through portal.money's
MoneyFormField), asks the record's `can_<action>` predicate (refusing with
its reason), calls the service and reports the outcome in words a person
reads ("RA-000004: review started."). Nothing here changes a record itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.money import ZERO, cents, format_money, parse_money, sum_money
from portal.templatetags.portal_format import moment_text, person_text
from portal.transitions import Verdict, has_perm
from portal.viewsets import history_url
from programs import services as svc
from programs.choices import RebatePaymentStatus, RebateStatus
from programs.exports import payment_register_xlsx
from programs.forms import (
    FORMS,
    BillCreditBatchForm,
    BudgetChangeForm,
    CheckBatchForm,
    RebateBatchForm,
    VoidPaymentForm,
)
from programs.models import (
    WORK_ON_APPLICATIONS,
    Program,
    RebateApplication,
    RebateBillCreditFile,
    RebateCheckBatch,
    RebatePayment,
)
from programs.selectors import budget_position

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

# Actions that can't be undone: the application's page sends their form to a
# confirmation page first (rebate_action_confirm), whose button posts to
# rebate_action.
CONFIRMED = ("deny", "cancel", "pay_by_check", "pay_by_bill_credit")


def action_url(app: RebateApplication, action: str) -> str:
    """Where the application page's form for the action posts."""
    name = "rebate_action_confirm" if action in CONFIRMED else "rebate_action"
    return reverse(name, args=[app.pk, action])


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
# message and the page to go to (a payment's batch or bill-credit file).
Handler = Callable[[Any, RebateApplication, dict[str, Any]], "str | tuple[str, str]"]


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


def _pay_by_check(user: Any, app: RebateApplication, data: dict) -> tuple[str, str]:
    batch = svc.rebate_checks_issue(
        actor=user,
        applications=[app],
        first_check_number=data["check_number"],
        paid_on=_today_or(data["paid_on"]),
    )
    payment = batch.payments.get()
    return (
        f"check {payment.check_number} for {format_money(payment.amount)} issued "
        f"(check batch {batch.pk}); download the payment register below.",
        reverse("rebate_check_batch", args=[batch.pk]),
    )


def _pay_by_bill_credit(
    user: Any, app: RebateApplication, data: dict
) -> tuple[str, str]:
    credit_file = svc.rebate_bill_credits_issue(
        actor=user, applications=[app], credit_date=_today_or(data["paid_on"])
    )
    payment = credit_file.payments.get()
    return (
        f"bill credit of {format_money(payment.amount)} recorded on account "
        f"{app.account.number}, dated {svc.day_text(payment.paid_on)}; download "
        "the file for the billing system below.",
        reverse("rebate_bill_credit_file", args=[credit_file.pk]),
    )


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
    if isinstance(outcome, tuple):
        message, then = outcome
        messages.success(request, f"{app.reference}: {message}")
        return redirect(then)
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
    title = f"Change the budget of {program.code}"
    return render(
        request,
        "programs/admin/program_budget.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "pick",
            "program": program,
            "form": form,
            "budget": format_money(position.budget),
            "committed": format_money(position.committed + position.paid),
            "remaining": format_money(position.remaining),
        },
    )


def _add_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """A service's refusal on the form: each message on its field when the
    form has that field (`rename` maps the service's names to the form's),
    otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


# --------------------------------------------------------------------------
# Confirmation before what can't be undone
# --------------------------------------------------------------------------
#
# The first click (the form on the record's page) comes here: the predicate
# and the form are checked, and the page says what will happen. Only its
# button, which posts the same input to rebate_action / rebate_payment_void,
# calls the service.

CONFIRM_TEMPLATE = "programs/admin/confirm_action.html"


def _as_hidden(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The checked input, to be sent again by the confirmation's button."""
    hidden = []
    for name, value in data.items():
        if value is None:
            text = ""
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = str(value)
        hidden.append((name, text))
    return hidden


def _who(app: RebateApplication) -> str:
    return f"{app.reference} ({app.customer.display_name}, {app.program.code})"


def _deny_consequences(app: RebateApplication, data: dict[str, Any]) -> list[str]:
    return [
        f"{_who(app)} will be denied for these reasons: {data['reasons'].strip()}",
        "A denial is final: the application can't be reviewed, approved or paid "
        "afterwards.",
    ]


def _cancel_consequences(app: RebateApplication, data: dict[str, Any]) -> list[str]:
    code = app.program.code
    lines = [
        f"The approval of {_who(app)} will be cancelled because: "
        f"{data['reason'].strip()}"
    ]
    if app.approved_amount is None:
        lines.append(
            f"It has no approved amount, so nothing is released to {code}'s budget."
        )
    else:
        amount = app.approved_amount.amount
        remaining = budget_position(app.program).remaining
        lines.append(
            f"The {format_money(amount)} reserved for it is released to {code}'s "
            f"budget: the remaining budget goes from {format_money(remaining)} to "
            f"{format_money(remaining + amount)}."
        )
    lines.append(
        "Cancelling is final: the application can't be approved or paid again."
    )
    return lines


def _approved_text(app: RebateApplication) -> str:
    if app.approved_amount is None:
        return "no approved amount"
    return format_money(app.approved_amount.amount)


def _check_consequences(app: RebateApplication, data: dict[str, Any]) -> list[str]:
    return [
        f"Check {data['check_number']} for {_approved_text(app)} will be issued to "
        f"{app.customer.display_name} for {_who(app)}, dated "
        f"{svc.day_text(_today_or(data['paid_on']))}.",
        f"{app.reference} is then paid: the check can only be voided afterwards, "
        f"and check number {data['check_number']} can't be used again.",
    ]


def _credit_consequences(app: RebateApplication, data: dict[str, Any]) -> list[str]:
    return [
        f"A bill credit of {_approved_text(app)} on account {app.account.number} "
        f"will be recorded for {_who(app)}, dated "
        f"{svc.day_text(_today_or(data['paid_on']))}.",
        f"{app.reference} is then paid, and the file for the billing system is "
        "kept under Programs › Bill-credit files. The credit can only be voided "
        "afterwards.",
    ]


CONSEQUENCES: dict[str, Callable[[RebateApplication, dict[str, Any]], list[str]]] = {
    "deny": _deny_consequences,
    "cancel": _cancel_consequences,
    "pay_by_check": _check_consequences,
    "pay_by_bill_credit": _credit_consequences,
}

CONFIRM_TITLES = {
    "deny": ("Deny {ref}?", "Deny {ref}"),
    "cancel": ("Cancel the approval of {ref}?", "Cancel the approval"),
    "pay_by_check": ("Pay {ref} by check?", "Issue the check"),
    "pay_by_bill_credit": ("Credit {ref} on the bill?", "Record the bill credit"),
}


def rebate_action_confirm(request: Any, pk: int, action: str) -> Any:
    if not request.user.has_perm("programs.view_rebateapplication"):
        raise PermissionDenied
    if action not in CONFIRMED:
        raise Http404("No such action.")
    app = get_object_or_404(
        RebateApplication.objects.select_related("customer", "program", "account"),
        pk=pk,
    )
    back = redirect("rebate_applications:inspect", app.pk)
    if request.method != "POST":
        return back
    verdict = getattr(app, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return back
    form = action_form(action, app, request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return back
    title, button = CONFIRM_TITLES[action]
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "page_title": title.format(ref=app.reference),
            "header_icon": "warning",
            "consequences": CONSEQUENCES[action](app, form.cleaned_data),
            "hidden": _as_hidden(form.cleaned_data),
            "action_url": reverse("rebate_action", args=[app.pk, action]),
            "confirm_label": button.format(ref=app.reference),
            "back_url": reverse("rebate_applications:inspect", args=[app.pk]),
        },
    )


def _void_consequences(payment: RebatePayment, data: dict[str, Any]) -> list[str]:
    app = payment.application
    amount = format_money(payment.amount)
    is_check = bool(payment.check_number)
    what = f"Check {payment.check_number}" if is_check else "The bill credit"
    lines = [
        f"{what} of {amount} for {_who(app)}, paid on "
        f"{svc.day_text(payment.paid_on)}, will be void as of "
        f"{svc.day_text(_today_or(data['voided_on']))} because: "
        f"{data['reason'].strip()}",
        f"{app.reference} goes back to approved: the {amount} stays committed in "
        f"{app.program.code}'s budget (reserved again instead of paid), ready to be "
        "paid anew.",
    ]
    if is_check:
        lines.append(
            f"Check number {payment.check_number} stays used: it can't be issued again."
        )
    else:
        lines.append(
            "Nothing is sent to the billing system from here: reverse the credit "
            "on the customer's bill there."
        )
    lines.append("A void can't be undone.")
    return lines


def rebate_payment_void_confirm(request: Any, pk: int) -> Any:
    if not request.user.has_perm("programs.view_rebatepayment"):
        raise PermissionDenied
    payment = get_object_or_404(
        RebatePayment.objects.select_related(
            "application__customer", "application__program"
        ),
        pk=pk,
    )
    back = redirect("rebate_payments:inspect", payment.pk)
    if request.method != "POST":
        return back
    verdict = payment.can_void(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return back
    form = VoidPaymentForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return back
    what = f"check {payment.check_number}" if payment.check_number else "bill credit"
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "page_title": f"Void the {what} of {format_money(payment.amount)}?",
            "header_icon": "warning",
            "consequences": _void_consequences(payment, form.cleaned_data),
            "hidden": _as_hidden(form.cleaned_data),
            "action_url": reverse("rebate_payment_void", args=[payment.pk]),
            "confirm_label": f"Void the {what}",
            "back_url": reverse("rebate_payments:inspect", args=[payment.pk]),
        },
    )


# --------------------------------------------------------------------------
# Paying many approved rebates at once: by check, or as bill credits
# --------------------------------------------------------------------------
#
# Choose on the list, review (count, total, check numbers), confirm. Only the
# confirmation calls the service, once for all the chosen applications; a
# refusal (a used check number, an application no longer approved) comes
# back on the list with the service's message, and nothing is paid.

PAY_TEMPLATE = "programs/admin/pay_approved.html"
PAY_CONFIRM_TEMPLATE = "programs/admin/pay_approved_confirm.html"


def may_pay(user: Any) -> Verdict:
    return has_perm(user, WORK_ON_APPLICATIONS, doing="pay rebates")


def _pay_refused(request: Any) -> Any:
    """None when the user may use the pay screens, else where to go."""
    if not request.user.has_perm("programs.view_rebateapplication"):
        raise PermissionDenied
    verdict = may_pay(request.user)
    if verdict:
        return None
    messages.error(request, verdict.reason)
    return redirect("rebate_applications:index")


def _approved_amount(app: RebateApplication) -> Decimal:
    return ZERO if app.approved_amount is None else app.approved_amount.amount


def _waiting(app: RebateApplication, today: date) -> str:
    if app.decided_at is None:
        return ""
    days = (today - timezone.localdate(app.decided_at)).days
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _pay_page(request: Any, form: RebateBatchForm, screen: dict[str, str]) -> Any:
    """The list of approved, unpaid applications with the form's choices."""
    chosen = set(request.POST.getlist("applications")) if form.is_bound else set()
    today = timezone.localdate()
    apps = (
        RebateApplication.objects.filter(status=RebateStatus.APPROVED)
        .select_related("customer", "program")
        .order_by("decided_at", "pk")
    )
    rows = [
        {
            "pk": app.pk,
            "reference": app.reference,
            "url": reverse("rebate_applications:inspect", args=[app.pk]),
            "customer": app.customer.display_name,
            "program": app.program.code,
            "amount": "no approved amount"
            if app.approved_amount is None
            else format_money(app.approved_amount.amount),
            "waiting": _waiting(app, today),
            "checked": str(app.pk) in chosen,
        }
        for app in apps
    ]
    return render(
        request,
        PAY_TEMPLATE,
        {
            "page_title": screen["title"],
            "header_icon": "success",
            "intro": screen["intro"],
            "form": form,
            "rows": rows,
            "submit_label": screen["submit"],
            "action_url": reverse(screen["url"]),
        },
    )


def _payment_refusals(
    apps: list[RebateApplication], user: Any, action: str
) -> list[str]:
    """What the service would refuse for the applications' state, in its
    words: the predicate's reason, or the missing approved amount."""
    refusals = []
    for app in apps:
        verdict = getattr(app, f"can_{action}")(user)
        if not verdict:
            refusals.append(verdict.reason)
        elif app.approved_amount is None:
            refusals.append(svc.NO_APPROVED_AMOUNT.format(ref=app.reference))
    return refusals


def _confirm_page(
    request: Any,
    form: RebateBatchForm,
    screen: dict[str, str],
    *,
    heading: str,
    summary: list[str],
    columns: list[str],
    rows: list[list[str]],
    confirm_label: str,
) -> Any:
    hidden = [("applications", str(app.pk)) for app in form.chosen()]
    hidden += _as_hidden(
        {k: v for k, v in form.cleaned_data.items() if k != "applications"}
    )
    return render(
        request,
        PAY_CONFIRM_TEMPLATE,
        {
            "page_title": heading,
            "header_icon": "success",
            "summary": summary,
            "columns": columns,
            "rows": rows,
            "warning": screen["warning"],
            "hidden": hidden,
            "confirm_label": confirm_label,
            "action_url": reverse(screen["url"]),
        },
    )


CHECKS_SCREEN = {
    "title": "Pay approved rebates by check",
    "intro": "Approved rebates not yet paid, longest waiting first. Choose the "
    "ones to pay; the next page shows the checks before anything is issued.",
    "submit": "Review the checks",
    "warning": "Issuing the checks marks these applications paid. A check can "
    "then only be voided, and its number can't be used again.",
    "url": "rebate_checks_pay",
}


def _check_numbers_text(first: int, count: int) -> str:
    if count == 1:
        return f"Check number {first}."
    return (
        f"Check numbers {first} to {first + count - 1}, in the order of the references."
    )


def rebate_checks_pay(request: Any) -> Any:
    refused = _pay_refused(request)
    if refused is not None:
        return refused
    if request.method != "POST":
        form = CheckBatchForm(initial={"paid_on": timezone.localdate()})
        return _pay_page(request, form, CHECKS_SCREEN)
    form = CheckBatchForm(request.POST)
    if not form.is_valid() or "back" in request.POST:
        return _pay_page(request, form, CHECKS_SCREEN)
    apps = form.chosen()
    first = form.cleaned_data["first_check_number"]
    paid_on = form.cleaned_data["paid_on"]
    if request.POST.get("confirmed") != "yes":
        refusals = _payment_refusals(apps, request.user, "pay_by_check")
        if refusals:
            form.add_error("applications", refusals)
            return _pay_page(request, form, CHECKS_SCREEN)
        total = cents(sum((_approved_amount(app) for app in apps), ZERO))
        return _confirm_page(
            request,
            form,
            CHECKS_SCREEN,
            heading=f"Pay {_count(len(apps), 'approved rebate', 'approved rebates')} "
            "by check",
            summary=[
                f"{_count(len(apps), 'check', 'checks')}, {format_money(total)} in "
                f"total, dated {svc.day_text(paid_on)}.",
                _check_numbers_text(first, len(apps)),
            ],
            columns=["Check number", "Application", "Payee", "Program", "Amount"],
            rows=[
                [
                    str(first + offset),
                    app.reference,
                    app.customer.display_name,
                    app.program.code,
                    format_money(_approved_amount(app)),
                ]
                for offset, app in enumerate(apps)
            ],
            confirm_label=f"Issue {_count(len(apps), 'check', 'checks')}",
        )
    try:
        batch = svc.rebate_checks_issue(
            actor=request.user,
            applications=apps,
            first_check_number=first,
            paid_on=paid_on,
        )
    except ValidationError as error:
        _add_errors(form, error, {"check_number": "first_check_number"})
        return _pay_page(request, form, CHECKS_SCREEN)
    payments = batch.payments.all()
    messages.success(
        request,
        f"Check batch {batch.pk}: {_count(len(apps), 'check', 'checks')} issued, "
        f"{format_money(sum_money(payments, 'amount'))} in total.",
    )
    return redirect("rebate_check_batch", batch.pk)


def _may_see_batches(request: Any) -> None:
    if not request.user.has_perm("programs.view_rebatecheckbatch"):
        raise PermissionDenied


def rebate_check_batch(request: Any, pk: int) -> Any:
    _may_see_batches(request)
    batch = get_object_or_404(RebateCheckBatch, pk=pk)
    payments = batch.payments.select_related(
        "application__customer", "application__program"
    ).order_by("check_number", "pk")
    issued = payments.filter(status=RebatePaymentStatus.ISSUED)
    by = batch.created_by
    return render(
        request,
        "programs/admin/check_batch.html",
        {
            "page_title": f"Check batch {batch.pk}",
            "header_icon": "success",
            "batch": batch,
            "paid_on": svc.day_text(batch.paid_on),
            "made_by": "" if by is None else (by.get_full_name() or by.get_username()),
            "count": _count(len(payments), "check", "checks"),
            "total": format_money(sum_money(issued, "amount")),
            "rows": [
                {
                    "payment": payment,
                    "url": reverse("rebate_payments:inspect", args=[payment.pk]),
                    "application_url": reverse(
                        "rebate_applications:inspect", args=[payment.application_id]
                    ),
                    "amount": format_money(payment.amount),
                }
                for payment in payments
            ],
            "register_url": reverse("rebate_check_batch_register", args=[batch.pk]),
        },
    )


def rebate_check_batch_register(request: Any, pk: int) -> Any:
    _may_see_batches(request)
    batch = get_object_or_404(RebateCheckBatch, pk=pk)
    return _download(
        payment_register_xlsx(batch), XLSX, f"payment-register-{batch.pk}.xlsx"
    )


BILL_CREDITS_SCREEN = {
    "title": "Credit approved rebates on the bill",
    "intro": "Approved rebates not yet paid, longest waiting first. Choose the "
    "ones to credit on the customers' utility bills; the next page shows the "
    "credits before anything is recorded.",
    "submit": "Review the credits",
    "warning": "Recording the credits marks these applications paid; the next "
    "page offers the file for the billing system. A credit can then only be "
    "voided.",
    "url": "rebate_bill_credits_pay",
}


def rebate_bill_credits_pay(request: Any) -> Any:
    refused = _pay_refused(request)
    if refused is not None:
        return refused
    if request.method != "POST":
        form = BillCreditBatchForm(initial={"credit_date": timezone.localdate()})
        return _pay_page(request, form, BILL_CREDITS_SCREEN)
    form = BillCreditBatchForm(request.POST)
    if not form.is_valid() or "back" in request.POST:
        return _pay_page(request, form, BILL_CREDITS_SCREEN)
    apps = form.chosen()
    credit_date = form.cleaned_data["credit_date"]
    if request.POST.get("confirmed") != "yes":
        refusals = _payment_refusals(apps, request.user, "pay_by_bill_credit")
        if refusals:
            form.add_error("applications", refusals)
            return _pay_page(request, form, BILL_CREDITS_SCREEN)
        total = cents(sum((_approved_amount(app) for app in apps), ZERO))
        return _confirm_page(
            request,
            form,
            BILL_CREDITS_SCREEN,
            heading=f"Credit {_count(len(apps), 'approved rebate', 'approved rebates')} "
            "on the bill",
            summary=[
                f"{_count(len(apps), 'bill credit', 'bill credits')}, "
                f"{format_money(total)} in total, dated {svc.day_text(credit_date)}."
            ],
            columns=["Account", "Application", "Customer", "Program", "Amount"],
            rows=[
                [
                    app.account.number,
                    app.reference,
                    app.customer.display_name,
                    app.program.code,
                    format_money(_approved_amount(app)),
                ]
                for app in apps
            ],
            confirm_label=f"Record {_count(len(apps), 'bill credit', 'bill credits')}",
        )
    try:
        credit_file = svc.rebate_bill_credits_issue(
            actor=request.user, applications=apps, credit_date=credit_date
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _pay_page(request, form, BILL_CREDITS_SCREEN)
    messages.success(
        request,
        f"{_count(len(apps), 'bill credit', 'bill credits')} recorded, dated "
        f"{svc.day_text(credit_date)}. Download the file for the billing system.",
    )
    return redirect("rebate_bill_credit_file", credit_file.pk)


# --------------------------------------------------------------------------
# Bill-credit files: kept, listed and downloadable again
# --------------------------------------------------------------------------


def _may_see_credit_files(request: Any) -> None:
    if not request.user.has_perm("programs.view_rebatebillcreditfile"):
        raise PermissionDenied


def _credit_rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


def rebate_bill_credit_files(request: Any) -> Any:
    """Every bill-credit file made, newest first (the latest 200)."""
    _may_see_credit_files(request)
    files = RebateBillCreditFile.objects.select_related("created_by").annotate(
        credits=Count("payments")
    )[:200]
    return render(
        request,
        "programs/admin/bill_credit_files.html",
        {
            "page_title": "Bill-credit files",
            "header_icon": "download",
            "rows": [
                {
                    "file": file,
                    "url": reverse("rebate_bill_credit_file", args=[file.pk]),
                    "download_url": reverse(
                        "rebate_bill_credit_file_download", args=[file.pk]
                    ),
                    "count": _count(file.credits, "credit", "credits"),
                    "total": format_money(
                        cents(
                            sum(
                                (
                                    parse_money(row["amount"])
                                    for row in _credit_rows(file.content)
                                ),
                                ZERO,
                            )
                        )
                    ),
                }
                for file in files
            ],
        },
    )


def rebate_bill_credit_file(request: Any, pk: int) -> Any:
    """One bill-credit file: who made it and when, its credits, and the file
    to download (again)."""
    _may_see_credit_files(request)
    file = get_object_or_404(
        RebateBillCreditFile.objects.select_related("created_by"), pk=pk
    )
    rows = _credit_rows(file.content)
    total = cents(sum((parse_money(row["amount"]) for row in rows), ZERO))
    applications = {
        payment.application.reference: payment
        for payment in file.payments.select_related("application")
    }
    return render(
        request,
        "programs/admin/bill_credits_done.html",
        {
            "page_title": f"Bill-credit file {file.pk}",
            "header_icon": "success",
            "file": file,
            "made_at": moment_text(file.created_at),
            "made_by": person_text(file.created_by),
            "credit_date": svc.day_text(file.credit_date),
            "count": _count(len(rows), "bill credit", "bill credits"),
            "total": format_money(total),
            "rows": [
                {
                    "account": row["account_number"],
                    "reference": row["reference"],
                    "application_url": (
                        reverse(
                            "rebate_applications:inspect",
                            args=[applications[row["reference"]].application_id],
                        )
                        if row["reference"] in applications
                        else ""
                    ),
                    "amount": format_money(parse_money(row["amount"])),
                    "credit_date": svc.day_text(date.fromisoformat(row["credit_date"])),
                    "description": row["description"],
                }
                for row in rows
            ],
            "file_url": reverse("rebate_bill_credit_file_download", args=[file.pk]),
            "filename": file.file_name,
            "history_url": history_url(file),
            "list_url": reverse("rebate_bill_credit_files"),
        },
    )


def rebate_bill_credit_file_download(request: Any, pk: int) -> Any:
    _may_see_credit_files(request)
    file = get_object_or_404(RebateBillCreditFile, pk=pk)
    return _download(file.content, "text/csv", file.file_name)
