"""Back-office action views: thin POST handlers that call the services and
report the outcome (the service's own message on refusal)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.views.decorators.http import require_POST

from loans import selectors
from loans.models import Loan, LoanApplication, Payment
from loans.services import applications as workflow
from loans.services.batch import BatchRejected, payment_batch_post
from loans.services.payments import payment_reverse
from portal.money import MoneyFormField


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _report(request: Any, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class ApprovalForm(forms.Form):
    amount = MoneyFormField(required=False)
    term_months = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": "The term is a whole number of months."},
    )
    reasons = forms.CharField(required=False)


DONE = {
    "submit": "submitted",
    "start_review": "review started",
    "request_information": "information requested",
    "provide_information": "review resumed",
    "approve": "approved",
    "decline": "declined",
    "withdraw": "withdrawn",
}


@require_POST
def application_action(request: Any, pk: int, action: str) -> Any:
    _require(request, "loans.change_loanapplication")
    application = get_object_or_404(LoanApplication, pk=pk)
    if action not in DONE:
        raise Http404
    data = request.POST
    try:
        if action == "approve":
            form = ApprovalForm(data)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label or field.replace("_", " ")
                    for error in errors:
                        messages.error(request, f"{label.capitalize()}: {error}")
                return redirect("loan_applications:inspect", application.pk)
            workflow.application_approve(
                actor=request.user,
                application=application,
                amount=form.cleaned_data["amount"],
                term_months=form.cleaned_data["term_months"],
                reasons=form.cleaned_data["reasons"],
            )
        elif action == "decline":
            workflow.application_decline(
                actor=request.user,
                application=application,
                reasons=data.get("reasons", ""),
            )
        elif action == "request_information":
            workflow.application_request_information(
                actor=request.user,
                application=application,
                question=data.get("question", ""),
            )
        else:
            getattr(workflow, f"application_{action}")(
                actor=request.user, application=application
            )
        messages.success(request, f"{application.reference}: {DONE[action]}.")
    except ValidationError as error:
        _report(request, error)
    return redirect("loan_applications:inspect", application.pk)


@require_POST
def payment_reversal(request: Any, pk: int) -> Any:
    _require(request, "loans.post_payment")
    payment = get_object_or_404(Payment, pk=pk)
    try:
        payment_reverse(
            actor=request.user,
            payment=payment,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, f"Payment {payment.reference} reversed.")
    except ValidationError as error:
        _report(request, error)
    return redirect("loans:inspect", payment.loan_id)


def payoff_letter(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    from loans.documents.payoff_letter import payoff_letter_pdf

    loan = get_object_or_404(Loan, pk=pk)
    try:
        as_of = (
            date.fromisoformat(request.GET.get("as_of", ""))
            if request.GET.get("as_of")
            else timezone.localdate()
        )
    except ValueError:
        as_of = timezone.localdate()
    pdf = payoff_letter_pdf(loan=loan, as_of=as_of, prepared_by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="payoff-{loan.number}-{as_of}.pdf"'
    )
    return response


def bad_check_ledger(request: Any) -> Any:
    _require(request, "loans.view_payment")
    return render(
        request,
        "loans/admin/bad_check_ledger.html",
        {
            "page_title": "Bad-check ledger",
            "payments": selectors.bad_check_ledger()[:500],
        },
    )


def payment_batch_upload(request: Any) -> Any:
    _require(request, "loans.post_payment")
    errors: list[str] = []
    result = None
    limit: int = settings.PORTAL_BATCH_MAX_BYTES
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        if upload.size > limit:
            # Refused before reading a byte of it into memory.
            errors = [
                f"The file is {filesizeformat(upload.size)}; the largest batch "
                f"file accepted is {filesizeformat(limit)}."
            ]
        else:
            try:
                result = payment_batch_post(
                    actor=request.user, file_name=upload.name, content=upload.read()
                )
                if result.posted:
                    messages.success(
                        request,
                        f"Posted {result.posted} payment(s) totalling "
                        f"${result.total:,.2f}; {result.already_posted} "
                        "already posted.",
                    )
                else:
                    messages.warning(
                        request,
                        f"Nothing new: all {result.already_posted} payment(s) in "
                        "this file were posted before.",
                    )
            except BatchRejected as rejected:
                errors = [str(e) for e in rejected.row_errors]
    elif request.method == "POST":
        errors = ["Choose a CSV or XLSX file."]
    return render(
        request,
        "loans/admin/payment_batch_upload.html",
        {
            "page_title": "Post a payment batch",
            "errors": errors,
            "result": result,
        },
    )
