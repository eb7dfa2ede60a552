"""Back-office action views: thin handlers that ask the record's `can_<action>`
predicate (refusing with its reason), read a form (amounts through
portal.money's MoneyFormField), call the service and report the outcome in
words ("Check 100123 issued to Walter Okafor for $4,000.00; the loan is now
active."). A service's refusal lands on the form's field (status 200); a
predicate's refusal is a message on the record's page (302). Anything that
can't be undone (withdrawing, voiding, reissuing, reversing) is asked for on
a confirmation page whose POST alone calls the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from loans import selectors
from loans.choices import (
    DisbursementStatus,
    EntryKind,
    FeeKind,
    LoanStatus,
    PaymentStatus,
)
from loans.forms import (
    ConfirmForm,
    IssueCheckForm,
    OpenLoanForm,
    PaymentForm,
    RecordSignatureForm,
    ReissueCheckForm,
    ReversalForm,
    VoidCheckForm,
)
from loans.models import Disbursement, LedgerEntry, Loan, LoanApplication, Payment
from loans.services import applications as workflow
from loans.services import closing
from loans.services import payments as cashiering
from loans.services.batch import BatchRejected, payment_batch_post
from loans.services.payments import payment_allocation, payment_reverse
from portal.money import MoneyFormField, format_money
from portal.transitions import Verdict, open_actions


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _report(request: Any, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class ApprovalForm(forms.Form):
    amount = MoneyFormField(label="Amount (dollars and cents)", required=False)
    term_months = forms.IntegerField(
        label="Term (months)",
        required=False,
        min_value=1,
        error_messages={"invalid": "The term is a whole number of months."},
    )
    reasons = forms.CharField(label="Reasons", required=False)


# The service says what is missing (QUESTION_REQUIRED, REASONS_REQUIRED).
class DeclineForm(forms.Form):
    reasons = forms.CharField(label="Reasons", required=False)


class RequestInformationForm(forms.Form):
    question = forms.CharField(label="What is needed", required=False)


def application_action_forms(application: LoanApplication) -> dict[str, forms.Form]:
    """The inputs of the application page's action buttons, as admin fields
    (labelled, bordered), each form's ids kept apart."""
    return {
        "approve": ApprovalForm(
            initial={
                "amount": application.requested_amount.amount,
                "term_months": application.requested_term_months,
            },
            auto_id="id_approve_%s",
        ),
        "decline": DeclineForm(auto_id="id_decline_%s"),
        "request_information": RequestInformationForm(auto_id="id_request_%s"),
    }


# What each step says when it is done ("Application LA-000004 is now in
# review."); withdrawing is asked for on its confirmation page
# (application_withdraw).
DONE = {
    "submit": "Application {ref} is submitted; it waits for review.",
    "start_review": "Application {ref} is now in review.",
    "request_information": "Application {ref} waits for the information asked for.",
    "provide_information": "Application {ref} is back in review.",
    "approve": "Application {ref} is approved for {amount} over {term} months. "
    "Next: open the loan.",
    "decline": "Application {ref} is declined.",
}


def _done(action: str, application: LoanApplication) -> str:
    application.refresh_from_db()
    approved = application.approved_amount
    return DONE[action].format(
        ref=application.reference,
        amount=format_money(approved.amount) if approved is not None else "",
        term=application.approved_term_months,
    )


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
        messages.success(request, _done(action, application))
    except ValidationError as error:
        _report(request, error)
    return redirect("loan_applications:inspect", application.pk)


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
            "header_title": "Bad-check ledger",
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
            "header_title": "Post a payment batch",
            "errors": errors,
            "result": result,
        },
    )


# --------------------------------------------------------------------------
# Shared by the action pages
# --------------------------------------------------------------------------


def add_service_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """A service's refusal on the form: each message on its field when the
    form has that field (`rename` maps the service's name for it to the
    form's), otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _refused(request: Any, verdict: Verdict, back: Any) -> Any:
    messages.error(request, verdict.reason)
    return back


def _page(
    request: Any,
    template: str,
    title: str,
    *,
    icon: str = "doc-full-inverse",
    **context: Any,
) -> Any:
    return render(
        request,
        f"loans/admin/{template}",
        {"page_title": title, "header_title": title, "header_icon": icon, **context},
    )


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day:%Y}"


def _who(user: Any) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _posted(request: Any) -> Any:
    return request.POST if request.method == "POST" else None


# --------------------------------------------------------------------------
# Screen predicates for the two steps that have no model predicate: opening
# the loan and posting a payment. Their reasons are the services' messages.
# --------------------------------------------------------------------------


def can_open_loan(application: LoanApplication, actor: Any) -> Verdict:
    return application.can_open_loan(actor)


def can_post_payment(loan: Loan, actor: Any) -> Verdict:
    return loan.can_post_payment(actor)


# --------------------------------------------------------------------------
# What the record pages offer (called by the inspect views in viewsets.py)
# --------------------------------------------------------------------------

# What the buttons say (the code names never reach the screen).
CLOSING_LABELS = {
    "generate_agreement": "Generate agreement",
    "record_signature": "Record signature",
    "issue_disbursement": "Issue disbursement check",
}


def application_page_context(application: LoanApplication, actor: Any) -> dict:
    loan = Loan.objects.filter(application=application).first()
    open_loan = None
    if not loan and can_open_loan(application, actor):
        open_loan = {
            "form": OpenLoanForm(auto_id="id_open_loan_%s"),
            "url": reverse("loan_application_open_loan", args=[application.pk]),
        }
    withdraw_url = None
    if application.can_withdraw(actor):
        withdraw_url = reverse("loan_application_withdraw", args=[application.pk])
    return {
        "loan": loan,
        "open_loan": open_loan,
        "withdraw_url": withdraw_url,
        "action_forms": application_action_forms(application),
    }


def loan_page_context(
    loan: Loan, actor: Any, *, payments: list[Payment], checks: list[Disbursement]
) -> dict:
    closing_actions = []
    for action in open_actions(loan, actor, Loan.CLOSING_ACTIONS):
        label = CLOSING_LABELS[action]
        if action == "generate_agreement" and loan.agreement_document_id:
            label = "Generate the agreement again"
        closing_actions.append(
            {
                "action": action,
                "label": label,
                "url": reverse(f"loan_{action}", args=[loan.pk]),
                # Generating takes no input: its button posts from the loan page.
                "posts": action == "generate_agreement",
            }
        )
    payment_form = None
    if can_post_payment(loan, actor):
        payment_form = PaymentForm(auto_id="id_payment_%s")
    return {
        "closing_actions": closing_actions,
        "agreement_url": (
            reverse("loan_agreement", args=[loan.pk])
            if loan.agreement_document_id
            else None
        ),
        "payment_form": payment_form,
        "payment_url": reverse("loan_post_payment", args=[loan.pk]),
        "payment_rows": [
            {
                "payment": payment,
                "receipt_url": reverse("loan_payment_receipt", args=[payment.pk]),
                "reverse_url": (
                    reverse("loan_payment_reversal", args=[payment.pk])
                    if payment.can_reverse(actor)
                    else None
                ),
            }
            for payment in payments
        ],
        "check_rows": [
            {
                "check": check,
                "void_url": (
                    reverse("loan_check_void", args=[check.pk])
                    if check.can_void(actor)
                    else None
                ),
                "reissue_url": (
                    reverse("loan_check_reissue", args=[check.pk])
                    if check.can_reissue(actor)
                    else None
                ),
            }
            for check in checks
        ],
    }


# --------------------------------------------------------------------------
# Applications: open the loan, withdraw
# --------------------------------------------------------------------------


def application_open_loan(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loanapplication")
    application = get_object_or_404(
        LoanApplication.objects.select_related("customer", "product"), pk=pk
    )
    back = redirect("loan_applications:inspect", application.pk)
    verdict = can_open_loan(application, request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = OpenLoanForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            loan = closing.loan_create_from_application(
                actor=request.user,
                application=application,
                first_due_date=form.cleaned_data["first_due_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Loan {loan.number} opened for {loan.customer}: "
                f"{format_money(loan.principal)} over {loan.term_months} months, "
                f"first due {_day(loan.first_due_date)}. Next: generate the "
                "agreement.",
            )
            return redirect("loans:inspect", loan.pk)
    return _page(
        request,
        "action_form.html",
        f"Open the loan for {application.reference}",
        form=form,
        facts=[
            ("Customer", application.customer),
            ("Product", application.product),
            (
                "Approved",
                f"{format_money(application.approved_amount.amount)} for "
                f"{application.approved_term_months} months"
                if application.approved_amount is not None
                else "—",
            ),
        ],
        submit="Open the loan",
        back_url=reverse("loan_applications:inspect", args=[application.pk]),
    )


def application_withdraw(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loanapplication")
    application = get_object_or_404(
        LoanApplication.objects.select_related("customer", "product"), pk=pk
    )
    back = redirect("loan_applications:inspect", application.pk)
    verdict = application.can_withdraw(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.application_withdraw(actor=request.user, application=application)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{application.reference}: withdrawn.")
            return back
    return _page(
        request,
        "confirm.html",
        f"Withdraw application {application.reference}?",
        icon="form",
        form=form,
        facts=[
            ("Customer", application.customer),
            ("Product", application.product),
            ("Requested", format_money(application.requested_amount.amount)),
            ("Status", application.get_status_display()),
        ],
        warning="A withdrawn application can't be submitted or approved again; "
        "the customer would have to apply anew.",
        submit=f"Yes, withdraw {application.reference}",
        cancel="No, keep it",
        back_url=reverse("loan_applications:inspect", args=[application.pk]),
    )


# --------------------------------------------------------------------------
# Closing: agreement, signature, checks
# --------------------------------------------------------------------------


def _loan_or_404(pk: int) -> Loan:
    return get_object_or_404(
        Loan.objects.select_related("customer", "application", "product"), pk=pk
    )


def _loan_facts(loan: Loan) -> list[tuple[str, Any]]:
    return [
        ("Customer", loan.customer),
        (
            "Loan",
            f"{format_money(loan.principal)} at {loan.annual_rate}% for "
            f"{loan.term_months} months, first due {_day(loan.first_due_date)}",
        ),
        ("Status", loan.get_status_display()),
    ]


@require_POST
def loan_generate_agreement(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan_or_404(pk)
    back = redirect("loans:inspect", loan.pk)
    verdict = loan.can_generate_agreement(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    try:
        closing.agreement_generate(actor=request.user, loan=loan)
    except ValidationError as error:
        _report(request, error)
        return back
    messages.success(
        request,
        f"Agreement for loan {loan.number} generated. Download it from this page, "
        "have it signed, then record the signature.",
    )
    return back


def loan_agreement(request: Any, pk: int) -> Any:
    """The loan's agreement PDF, to anyone who may see the loan (the media
    URL is never linked: it would skip this permission check)."""
    _require(request, "loans.view_loan")
    loan = get_object_or_404(Loan.objects.select_related("agreement_document"), pk=pk)
    document = loan.agreement_document
    if document is None:
        raise Http404("This loan has no agreement yet.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The agreement's file is missing.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type or "application/pdf",
    )


def loan_record_signature(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan_or_404(pk)
    back = redirect("loans:inspect", loan.pk)
    verdict = loan.can_record_signature(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = RecordSignatureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        signed_on = form.cleaned_data["signed_on"]
        try:
            closing.agreement_record_signed(
                actor=request.user, loan=loan, signed_on=signed_on
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Agreement for loan {loan.number} signed on {_day(signed_on)}. "
                "Next: issue the disbursement check.",
            )
            return back
    return _page(
        request,
        "action_form.html",
        f"Record the signed agreement for loan {loan.number}",
        form=form,
        facts=_loan_facts(loan),
        submit="Record signature",
        back_url=reverse("loans:inspect", args=[loan.pk]),
    )


def loan_issue_disbursement(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan_or_404(pk)
    back = redirect("loans:inspect", loan.pk)
    verdict = loan.can_issue_disbursement(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = IssueCheckForm(_posted(request), loan=loan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_closing = loan.status == LoanStatus.CLOSING
        try:
            check = closing.disbursement_issue(
                actor=request.user,
                loan=loan,
                check_number=data["check_number"],
                payee=data["payee"],
                amount=data["amount"],
                issued_on=data["issued_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            activated = was_closing and (
                Loan.objects.filter(pk=loan.pk, status=LoanStatus.ACTIVE).exists()
            )
            messages.success(
                request,
                f"Check {check.check_number} issued to {check.payee} for "
                f"{format_money(check.amount)}"
                + ("; the loan is now active." if activated else "."),
            )
            return back
    return _page(
        request,
        "action_form.html",
        f"Issue a disbursement check for loan {loan.number}",
        form=form,
        facts=_loan_facts(loan),
        submit="Issue check",
        back_url=reverse("loans:inspect", args=[loan.pk]),
    )


def _check_facts(check: Disbursement) -> list[tuple[str, Any]]:
    return [
        ("Loan", check.loan.number),
        ("Check", check.check_number),
        ("Pay to", check.payee),
        ("Amount", format_money(check.amount)),
        ("Issued on", _day(check.issued_on)),
        ("Status", check.get_status_display()),
    ]


def _check_or_404(pk: int) -> Disbursement:
    return get_object_or_404(Disbursement.objects.select_related("loan"), pk=pk)


def check_void(request: Any, pk: int) -> Any:
    _require(request, "loans.view_disbursement")
    check = _check_or_404(pk)
    back = redirect("loans:inspect", check.loan_id)
    verdict = check.can_void(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = VoidCheckForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            check = closing.disbursement_void(
                actor=request.user,
                disbursement=check,
                reason=form.cleaned_data["reason"],
                voided_on=form.cleaned_data["voided_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Check {check.check_number} to {check.payee} for "
                f"{format_money(check.amount)} is void: {check.void_reason}",
            )
            return back
    return _page(
        request,
        "confirm.html",
        f"Void check {check.check_number}?",
        form=form,
        facts=_check_facts(check),
        warning="A void check stays on the loan's record and can't be made "
        "good again; reissue it to pay the money out.",
        submit=f"Yes, void check {check.check_number}",
        cancel="No, keep it",
        back_url=reverse("loans:inspect", args=[check.loan_id]),
    )


def check_reissue(request: Any, pk: int) -> Any:
    _require(request, "loans.view_disbursement")
    check = _check_or_404(pk)
    back = redirect("loans:inspect", check.loan_id)
    verdict = check.can_reissue(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = ReissueCheckForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new = closing.disbursement_reissue(
                actor=request.user,
                disbursement=check,
                new_check_number=form.cleaned_data["new_check_number"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as error:
            # The new check is checked as "check_number" by disbursement_issue.
            add_service_errors(form, error, {"check_number": "new_check_number"})
        else:
            messages.success(
                request,
                f"Check {new.check_number} issued to {new.payee} for "
                f"{format_money(new.amount)} in place of check "
                f"{check.check_number}, which is void.",
            )
            return back
    voided = check.status == DisbursementStatus.VOID
    return _page(
        request,
        "confirm.html",
        f"Reissue check {check.check_number}?",
        form=form,
        facts=_check_facts(check),
        warning=(
            "A new check for the same payee and amount replaces it."
            if voided
            else "The check is voided and a new check for the same payee and "
            "amount replaces it."
        ),
        submit=f"Yes, reissue check {check.check_number}",
        cancel="No, keep it",
        back_url=reverse("loans:inspect", args=[check.loan_id]),
    )


# --------------------------------------------------------------------------
# Payments: counter and mail-in entry, receipts, reversal
# --------------------------------------------------------------------------


def loan_post_payment(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan_or_404(pk)
    back = redirect("loans:inspect", loan.pk)
    verdict = can_post_payment(loan, request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = PaymentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = cashiering.payment_post(
                actor=request.user,
                loan=loan,
                amount=data["amount"],
                received_on=data["received_on"],
                method=data["method"],
                reference=data["reference"],
            )
        except cashiering.ReferenceConflict as conflict:
            form.add_error("reference", conflict.messages)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            payment = posted.payment
            if posted.created:
                allocation = posted.allocation
                messages.success(
                    request,
                    f"Payment {payment.reference} of {format_money(payment.amount)} "
                    f"posted to loan {loan.number}: "
                    f"{format_money(allocation['fees'])} to fees, "
                    f"{format_money(allocation['interest'])} to interest, "
                    f"{format_money(allocation['principal'])} to principal.",
                )
            else:
                messages.warning(
                    request,
                    f"Payment {payment.reference} was already posted on "
                    f"{_day(timezone.localtime(payment.posted_at).date())} by "
                    f"{_who(payment.posted_by)}; nothing was posted again. "
                    "This is its receipt.",
                )
            return redirect("loan_payment_receipt", payment.pk)
    return _page(
        request,
        "action_form.html",
        f"Post a payment to loan {loan.number}",
        icon="success",
        form=form,
        facts=_loan_facts(loan),
        submit="Post payment",
        back_url=reverse("loans:inspect", args=[loan.pk]),
    )


def _principal_after(payment: Payment) -> Decimal:
    """The loan's principal balance right after this payment: what its
    payments up to and including this one (in the engine's order, received
    date then entry) paid to principal, taken from the ledger."""
    loan = payment.loan
    up_to = Payment.objects.filter(loan=loan, status=PaymentStatus.POSTED).filter(
        Q(received_on__lt=payment.received_on)
        | Q(received_on=payment.received_on, pk__lte=payment.pk)
    )
    paid = sum(
        LedgerEntry.objects.filter(
            payment__in=up_to,
            kind__in=[EntryKind.PRINCIPAL_PAID, EntryKind.PREPAYMENT],
        ).values_list("amount", flat=True),
        Decimal("0.00"),
    )
    return loan.principal - paid


def payment_receipt(request: Any, pk: int) -> Any:
    _require(request, "loans.view_payment")
    payment = get_object_or_404(
        Payment.objects.select_related(
            "loan", "loan__customer", "posted_by", "reversed_by"
        ),
        pk=pk,
    )
    allocation = payment_allocation(payment)
    reversed_ = payment.status == PaymentStatus.REVERSED
    return _page(
        request,
        "payment_receipt.html",
        f"Receipt for payment {payment.reference}",
        icon="success",
        payment=payment,
        loan=payment.loan,
        amount=format_money(payment.amount),
        received_on=_day(payment.received_on),
        posted_at=timezone.localtime(payment.posted_at),
        posted_by=_who(payment.posted_by),
        allocation=[
            ("Fees", format_money(allocation["fees"])),
            ("Interest", format_money(allocation["interest"])),
            ("Principal", format_money(allocation["principal"])),
            *(
                [("Held to refund", format_money(allocation["unapplied"]))]
                if allocation["unapplied"]
                else []
            ),
        ],
        principal_after=None if reversed_ else format_money(_principal_after(payment)),
        reversed_on=(
            _day(timezone.localtime(payment.reversed_at).date())
            if reversed_ and payment.reversed_at
            else None
        ),
        loan_url=reverse("loans:inspect", args=[payment.loan_id]),
    )


def payment_reversal(request: Any, pk: int) -> Any:
    """The "Reverse" control's confirmation page; only its POST reverses."""
    _require(request, "loans.view_payment")
    payment = get_object_or_404(
        Payment.objects.select_related("loan", "loan__customer"), pk=pk
    )
    back = redirect("loans:inspect", payment.loan_id)
    verdict = payment.can_reverse(request.user)
    if not verdict:
        return _refused(request, verdict, back)
    form = ReversalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_reverse(
                actor=request.user,
                payment=payment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            fee = LedgerEntry.objects.filter(
                payment=payment,
                kind=EntryKind.FEE_ASSESSED,
                fee_kind=FeeKind.RETURNED_PAYMENT,
                reverses__isnull=True,
            ).first()
            messages.success(
                request,
                f"Payment {payment.reference} of {format_money(payment.amount)} "
                f"received {_day(payment.received_on)} reversed: "
                f"{payment.get_reversal_reason_display()}"
                + (
                    f"; a returned-payment fee of {format_money(fee.amount)} "
                    "was added to the loan."
                    if fee
                    else "."
                ),
            )
            return back
    return _page(
        request,
        "confirm.html",
        f"Reverse payment {payment.reference}?",
        icon="success",
        form=form,
        facts=[
            ("Loan", f"{payment.loan.number} — {payment.loan.customer}"),
            ("Reference", payment.reference),
            ("Amount", format_money(payment.amount)),
            ("Received on", _day(payment.received_on)),
            ("Paid by", payment.get_method_display()),
        ],
        warning="The payment's allocation comes off the loan and can't be put "
        "back; a returned check or payment also adds the product's "
        "returned-payment fee. Post it again as a new payment if it was good.",
        submit=f"Yes, reverse payment {payment.reference}",
        cancel="No, keep it",
        back_url=reverse("loans:inspect", args=[payment.loan_id]),
    )


# --------------------------------------------------------------------------
# The nightly aging run, started by hand (Loans › Run aging): a date, then a
# confirmation page, whose POST alone runs it.
# --------------------------------------------------------------------------


def aging_run_start(request: Any) -> Any:
    from loans.aging_selectors import aging_scope, latest_aging_run
    from loans.forms import AgingRunForm
    from loans.models import AgingTrigger
    from loans.services.aging import aging_run

    _require(request, "loans.run_aging")
    back_url = reverse("aging_runs:index")
    form = AgingRunForm(_posted(request), initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        if request.POST.get("confirmed") == "yes":
            try:
                run = aging_run(
                    as_of=as_of, actor=request.user, trigger=AgingTrigger.BACK_OFFICE
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Aging as of {_day(as_of)}: {run.loans} open loans, "
                    f"{run.late_fees_count} late fees charged "
                    f"({format_money(run.late_fees_amount)}), "
                    f"{run.to_delinquent} became delinquent, {run.to_active} "
                    f"current again, {run.to_defaulted} defaulted, "
                    f"{run.to_matured} matured.",
                )
                return redirect("aging_runs:inspect", run.pk)
        else:
            latest = latest_aging_run()
            return _page(
                request,
                "aging_confirm.html",
                f"Run aging as of {_day(as_of)}?",
                icon="time",
                as_of=as_of,
                facts=[
                    ("As of", _day(as_of)),
                    ("Open loans", f"{aging_scope(as_of).count():,}"),
                    (
                        "Last run",
                        f"as of {_day(latest.as_of)}, by {_who(latest.started_by)}"
                        if latest
                        else "never",
                    ),
                ],
                warning="This charges the late fees due by that day (they can "
                "only be waived afterwards, one by one) and moves loans between "
                "active, delinquent, defaulted and matured. Running a day again "
                "changes nothing.",
                submit=f"Yes, run aging as of {_day(as_of)}",
                cancel="No, go back",
                back_url=back_url,
            )
    return _page(
        request,
        "action_form.html",
        "Run aging",
        icon="time",
        form=form,
        submit="Continue",
        back_url=back_url,
    )
