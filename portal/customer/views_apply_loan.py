"""Apply for a loan online: four steps saved as a draft, then submit.

1 "Your loan" (account, property, loan, amount, term), 2 "Your project"
(measures, description, contractor, proposal upload), 3 "Check" (the staff's
rules on the answers, each with its reason), 4 "Review" (every answer with a
Change link, the estimated installment, the confirmation and Submit).

Every step's POST validates its own form and saves the draft through
portal.customer.drafts; "Save and finish later" keeps a half-filled step.
Submitting calls loans.services.online.loan_application_submit_online. The
draft is always looked up through the customer (someone else's is a 404),
and a submitted one is never edited again: its steps lead to the
confirmation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from loans.models import LoanProduct
from loans.services.applications import application_checks, application_refusals
from loans.services.online import (
    FIELD_STEP,
    FORM_FIELD,
    application_status_url,
    estimated_installment,
    loan_application_submit_online,
    loan_draft_answers,
    loan_draft_checks,
)
from portal.choices import DocumentType
from portal.customer.access import customer_page
from portal.customer.drafts import draft_save_step, draft_start, own_draft_or_404
from portal.customer.forms_apply_loan import (
    LoanStepForm,
    ProjectStepForm,
    ReviewForm,
)
from portal.models import OnlineApplication, UtilityAccount
from portal.models.online import OnlineApplicationKind

KIND = OnlineApplicationKind.LOAN
STEPS = [
    ("loan", "Your loan"),
    ("project", "Your project"),
    ("check", "Check"),
    ("review", "Review"),
]
STEP_NAMES = [name for name, _ in STEPS]
SAVED_FOR_LATER = (
    "Your loan application is saved. Continue it any time from My applications."
)


def _my_applications_url() -> str:
    try:
        return reverse("customer:applications")
    except NoReverseMatch:
        return reverse("portal:account")


def _step_url(draft: OnlineApplication, step: str) -> str:
    return reverse("customer:apply_loan_step", args=[draft.pk, step])


def _context(
    draft: OnlineApplication | None, step: str, **extra: Any
) -> dict[str, Any]:
    index = STEP_NAMES.index(step)
    return {
        "draft": draft,
        "step": step,
        "step_number": index + 1,
        "step_title": STEPS[index][1],
        "steps": [
            {"name": name, "title": title, "number": i + 1, "current": name == step}
            for i, (name, title) in enumerate(STEPS)
        ],
        "back_url": _step_url(draft, STEP_NAMES[index - 1])
        if draft is not None and index > 0
        else None,
        **extra,
    }


def _saved_for_later(request: HttpRequest) -> HttpResponse:
    messages.success(request, SAVED_FOR_LATER)
    return redirect(_my_applications_url())


def _put_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- step 1 -----------------------------------------------------------------


@customer_page
def apply_loan(request: HttpRequest) -> HttpResponse:
    """Start: step 1 empty (or with ?product=CODE chosen); its POST creates
    the draft."""
    customer = request.customer  # type: ignore[attr-defined]
    if request.method == "POST":
        return _loan_step_post(request, None)
    initial = {}
    code = request.GET.get("product", "")
    if code and (
        product := LoanProduct.objects.filter(code=code, is_active=True).first()
    ):
        initial["product"] = product.pk
    # One account: chosen already, with the property it serves.
    accounts = list(UtilityAccount.objects.filter(customer=customer)[:2])
    if len(accounts) == 1:
        initial["account"] = accounts[0].pk
        if accounts[0].service_property_id:
            initial["parcel"] = accounts[0].service_property_id
    form = LoanStepForm(customer=customer, initial=initial)
    return _loan_step_page(request, None, form, has_accounts=bool(accounts))


def _loan_step_page(
    request: HttpRequest,
    draft: OnlineApplication | None,
    form: LoanStepForm,
    has_accounts: bool = True,
) -> HttpResponse:
    action = (
        _step_url(draft, "loan")
        if draft is not None
        else reverse("customer:apply_loan")
    )
    return render(
        request,
        "customer/apply_loan/step_loan.html",
        _context(draft, "loan", form=form, action=action, has_accounts=has_accounts),
    )


def _loan_step_post(
    request: HttpRequest, draft: OnlineApplication | None
) -> HttpResponse:
    customer = request.customer  # type: ignore[attr-defined]
    later = "later" in request.POST
    form = LoanStepForm(request.POST, customer=customer, partial=later)
    if form.is_valid() and not later:
        # The staff's rules, each on its field, before going on.
        data = form.cleaned_data
        refusals = application_refusals(
            application_checks(
                customer=customer,
                account=data["account"],
                product=data["product"],
                amount=data["amount"],
                term=data["term"],
                parcel=data.get("parcel"),
            ),
            FORM_FIELD,
        )
        for name, reason in refusals.items():
            form.add_error(name if name in form.fields else None, reason)
    if not form.is_valid():
        return _loan_step_page(request, draft, form)
    with transaction.atomic():
        if draft is None:
            draft = draft_start(actor=request.user, customer=customer, kind=KIND)
        draft = draft_save_step(
            actor=request.user,
            draft=draft,
            step="loan",
            data=form.answers(),
            next_step=None if later else "project",
        )
    if later:
        return _saved_for_later(request)
    return redirect(_step_url(draft, "project"))


# --- the draft's pages --------------------------------------------------------


@customer_page
def apply_loan_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Continue a draft where it was left (a sent one: its confirmation)."""
    draft = own_draft_or_404(request.customer, pk, KIND)  # type: ignore[attr-defined]
    if not draft.is_draft():
        return redirect("customer:apply_loan_submitted", draft.pk)
    step = draft.step if draft.step in STEP_NAMES else "loan"
    return redirect(_step_url(draft, step))


@customer_page
def apply_loan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    draft = own_draft_or_404(request.customer, pk, KIND)  # type: ignore[attr-defined]
    if step not in STEP_NAMES:
        raise Http404("No such step.")
    if not draft.is_draft():
        return redirect("customer:apply_loan_submitted", draft.pk)
    handler = {
        "loan": _loan_step,
        "project": _project_step,
        "check": _check_step,
        "review": _review_step,
    }[step]
    try:
        return handler(request, draft)
    except ValidationError:
        # Sent meanwhile from another tab: the draft refused the change.
        draft.refresh_from_db()
        if not draft.is_draft():
            return redirect("customer:apply_loan_submitted", draft.pk)
        raise


def _loan_step(request: HttpRequest, draft: OnlineApplication) -> HttpResponse:
    if request.method == "POST":
        return _loan_step_post(request, draft)
    form = LoanStepForm(
        customer=request.customer,  # type: ignore[attr-defined]
        initial=draft.data.get("loan") or {},
    )
    return _loan_step_page(request, draft, form)


# --- step 2 -----------------------------------------------------------------


def _project_step(request: HttpRequest, draft: OnlineApplication) -> HttpResponse:
    saved = draft.data.get("project") or {}
    if request.method == "POST":
        later = "later" in request.POST
        form = ProjectStepForm(request.POST, request.FILES, partial=later)
        if form.is_valid():
            upload = form.cleaned_data.get("proposal")
            uploads = (
                {"proposal": (upload, DocumentType.CONTRACTOR_PROPOSAL)}
                if upload
                else {}
            )
            try:
                draft = draft_save_step(
                    actor=request.user,
                    draft=draft,
                    step="project",
                    data=form.answers(proposal=saved.get("proposal")),
                    next_step=None if later else "check",
                    uploads=uploads,
                )
            except ValidationError as refused:
                _put_errors(form, refused)
            else:
                if later:
                    return _saved_for_later(request)
                return redirect(_step_url(draft, "check"))
    else:
        form = ProjectStepForm(
            initial={k: v for k, v in saved.items() if k != "proposal"}
        )
    answers, _ = loan_draft_answers(draft)
    return render(
        request,
        "customer/apply_loan/step_project.html",
        _context(draft, "project", form=form, proposal=answers.proposal),
    )


# --- step 3 -----------------------------------------------------------------


def _check_step(request: HttpRequest, draft: OnlineApplication) -> HttpResponse:
    answers, missing = loan_draft_answers(draft)
    checks = loan_draft_checks(draft, answers)
    eligible = not missing and all(check.passed for check in checks)
    if request.method == "POST" and eligible:
        draft_save_step(
            actor=request.user,
            draft=draft,
            step="check",
            data={"eligible": True},
            next_step="review",
        )
        return redirect(_step_url(draft, "review"))
    return render(
        request,
        "customer/apply_loan/step_check.html",
        _context(
            draft,
            "check",
            answers=answers,
            checks=[
                {
                    "check": check,
                    "change_url": _step_url(
                        draft,
                        FIELD_STEP.get(
                            FORM_FIELD.get(check.field, check.field), "loan"
                        ),
                    ),
                }
                for check in checks
            ],
            missing=[
                {"message": message, "change_url": _step_url(draft, FIELD_STEP[name])}
                for name, message in missing.items()
            ],
            eligible=eligible,
        ),
    )


# --- step 4 -----------------------------------------------------------------


def _review_step(request: HttpRequest, draft: OnlineApplication) -> HttpResponse:
    form = ReviewForm(request.POST if request.method == "POST" else None)
    refusals: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            loan_application_submit_online(actor=request.user, draft=draft)
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                refusals = refused.message_dict
            else:
                form.add_error(None, refused.messages)
        else:
            return redirect("customer:apply_loan_submitted", draft.pk)
    answers, _ = loan_draft_answers(draft)
    by_step: dict[str, list[str]] = {}
    for name, errors in refusals.items():
        by_step.setdefault(FIELD_STEP.get(name, "loan"), []).extend(errors)
    return render(
        request,
        "customer/apply_loan/step_review.html",
        _context(
            draft,
            "review",
            form=form,
            answers=answers,
            installment=estimated_installment(
                answers.product, answers.amount, answers.term
            ),
            loan_errors=by_step.get("loan", []),
            project_errors=by_step.get("project", []),
            loan_url=_step_url(draft, "loan"),
            project_url=_step_url(draft, "project"),
        ),
    )


# --- after -------------------------------------------------------------------


@customer_page
def apply_loan_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the reference number and what happens next."""
    draft = own_draft_or_404(request.customer, pk, KIND)  # type: ignore[attr-defined]
    if draft.is_draft():
        return redirect("customer:apply_loan_resume", draft.pk)
    application = draft.submitted
    return render(
        request,
        "customer/apply_loan/submitted.html",
        {
            "draft": draft,
            "application": application,
            "status_url": application_status_url(application)
            if application is not None
            else reverse("portal:account"),
            "applications_url": _my_applications_url(),
            "email": request.user.email,  # type: ignore[union-attr]
        },
    )
