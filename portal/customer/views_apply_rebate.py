"""Apply for a rebate online: five steps saved as a draft at every step.

/account/apply/rebate/                 start: step 1, and the unfinished drafts
/account/apply/rebate/<pk>/            continue where the customer left off
                                       (a submitted one: its confirmation)
/account/apply/rebate/<pk>/<step>/     one step: program, measures,
                                       documents, eligibility, review

Each step's POST validates its own form, saves the draft and moves on (or,
with "Save and finish later", back to My account). Drafts are looked up
through the customer (another customer's is a 404) and a submitted one can't
be edited. What the customer is told about eligibility and incentives comes
from programs.online, which asks the same services staff entry does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.audit import audit_context
from portal.choices import DocumentType
from portal.customer.access import customer_page
from portal.customer.drafts import customer_drafts, own_draft_or_404
from portal.customer.forms_apply_rebate import (
    DocumentUploadForm,
    InstallForm,
    MeasuresFormSet,
    ProgramStepForm,
    ReviewForm,
)
from portal.models import OnlineApplication, OnlineApplicationKind
from portal.services import document_upload
from programs import online
from programs.models import Measure, Program

REBATE = OnlineApplicationKind.REBATE
SAVED_FOR_LATER = (
    "Your rebate application is saved. Continue it any time from “Apply for a rebate”."
)
SUBMITTED = "Your rebate application {reference} is submitted."
ALREADY_SUBMITTED = "This application is already submitted; it can't be changed."
# Where a refusal of the submission is put right: the service's keys.
FIX_AT = {"program": "program", "account": "eligibility", "lines": "measures"}


# --------------------------------------------------------------------------
# Drafts: found through portal/customer/drafts.py; saved here (a submitted
# draft is left as it is, and a program change forgets the measures)
# --------------------------------------------------------------------------


def _draft(request: HttpRequest, pk: int) -> OnlineApplication:
    return own_draft_or_404(request.customer, pk, REBATE)  # type: ignore[attr-defined]


@transaction.atomic
def _save(
    request: HttpRequest,
    draft: OnlineApplication,
    step: str,
    answers: dict[str, Any] | None = None,
    *,
    drop: tuple[str, ...] = (),
) -> None:
    """Keep a step's answers (when it has any; `drop` forgets other steps'
    answers) and remember the step. The stored draft is locked and read
    again first: a page left open in another tab never overwrites a
    submission made meanwhile (a submitted draft is left as it is)."""
    if draft.pk is not None:
        stored = OnlineApplication.objects.select_for_update().get(pk=draft.pk)
        if not stored.is_draft():
            return
        draft.data = stored.data
    data = {k: v for k, v in (draft.data or {}).items() if k not in drop}
    if answers is not None:
        data[step] = answers
    draft.data = data
    draft.step = step
    draft.updated_at = timezone.now()
    with audit_context(
        user=request.user,
        reason=f"Online rebate application: {online.STEP_NAMES[step]}",
    ):
        if draft.pk is None:
            draft.save()
        else:
            draft.save(update_fields=["data", "step", "updated_at"])


def _first_missing(draft: OnlineApplication, answers: online.RebateAnswers) -> str:
    """The first step not answered yet ("" when all that must be are)."""
    if answers.program is None or answers.account is None:
        return "program"
    if not answers.lines or answers.install_date is None:
        return "measures"
    return ""


def _posted(request: HttpRequest) -> Any:
    """The POST data (even when empty: an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def _next_step(step: str) -> str:
    index = online.STEP_ORDER.index(step)
    return online.STEP_ORDER[min(index + 1, len(online.STEP_ORDER) - 1)]


def _step_url(draft: OnlineApplication, step: str) -> str:
    return reverse("customer:apply_rebate_step", args=[draft.pk, step])


def _after_post(
    request: HttpRequest, draft: OnlineApplication, step: str
) -> HttpResponse:
    if request.POST.get("action") == "later":
        messages.success(request, SAVED_FOR_LATER)
        return redirect("portal:account")
    return redirect(_step_url(draft, _next_step(step)))


def _steps(draft: OnlineApplication | None, current: str, reachable: int) -> list[Any]:
    """The step list: name, link (for the steps that can be opened) and
    whether it is the current one."""
    return [
        {
            "name": name,
            "url": _step_url(draft, slug)
            if draft is not None and index <= reachable and slug != current
            else "",
            "current": slug == current,
        }
        for index, (slug, name) in enumerate(online.STEPS)
    ]


def _page(
    request: HttpRequest,
    draft: OnlineApplication | None,
    step: str,
    context: dict[str, Any],
    answers: online.RebateAnswers | None = None,
) -> HttpResponse:
    if draft is None or answers is None:
        reachable = 0
    else:
        missing = _first_missing(draft, answers)
        reachable = (
            online.STEP_ORDER.index(missing) if missing else len(online.STEPS) - 1
        )
    previous = online.STEP_ORDER.index(step) - 1
    context.update(
        draft=draft,
        step=step,
        step_name=online.STEP_NAMES[step],
        step_number=online.STEP_ORDER.index(step) + 1,
        step_count=len(online.STEPS),
        steps=_steps(draft, step, reachable),
        back_url=_step_url(draft, online.STEP_ORDER[previous])
        if draft is not None and previous >= 0
        else "",
        answers=answers,
    )
    return render(request, f"customer/apply_rebate/{step}.html", context)


# --------------------------------------------------------------------------
# Start, resume
# --------------------------------------------------------------------------


@customer_page
@require_http_methods(["GET", "POST"])
def apply_rebate(request: HttpRequest) -> HttpResponse:
    """Step 1 of a new application; the customer's unfinished ones above it.
    `?program=CODE` preselects a program (from its page on the site)."""
    customer = request.customer  # type: ignore[attr-defined]
    today = timezone.localdate()
    initial: dict[str, Any] = {}
    code = request.GET.get("program", "")
    if code:
        chosen = online.programs_open_for_applications(today).filter(code=code)
        initial["program"] = chosen.values_list("pk", flat=True).first()
    form = ProgramStepForm(
        _posted(request), customer=customer, today=today, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        draft = OnlineApplication(kind=REBATE, customer=customer)
        _save(request, draft, "program", _program_answers(form))
        return _after_post(request, draft, "program")
    drafts = list(customer_drafts(customer, REBATE).order_by("-updated_at", "-pk"))
    return _page(
        request,
        None,
        "program",
        {
            "form": form,
            "drafts": _draft_rows(drafts),
            "no_accounts": not customer.accounts.exists(),
            "no_programs": not online.programs_open_for_applications(today).exists(),
        },
    )


def _draft_rows(drafts: list[OnlineApplication]) -> list[dict[str, Any]]:
    """Each unfinished draft with its program's name (one query for all)."""
    wanted = {str((d.data or {}).get("program", {}).get("program", "")) for d in drafts}
    names = dict(
        Program.objects.filter(pk__in=[p for p in wanted if p.isdigit()]).values_list(
            "pk", "name"
        )
    )
    rows = []
    for draft in drafts:
        chosen = str((draft.data or {}).get("program", {}).get("program", ""))
        name = names.get(int(chosen)) if chosen.isdigit() else None
        rows.append({"draft": draft, "program_name": name or ""})
    return rows


@customer_page
@require_http_methods(["GET"])
def apply_rebate_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Continue at the step after the last one saved (or the first one not
    answered); a submitted application shows its confirmation."""
    draft = _draft(request, pk)
    if not draft.is_draft():
        return _confirmation(request, draft)
    answers = online.rebate_draft_answers(draft)
    missing = _first_missing(draft, answers)
    step = _next_step(draft.step) if draft.step in online.STEP_NAMES else "program"
    if missing and online.STEP_ORDER.index(missing) < online.STEP_ORDER.index(step):
        step = missing
    return redirect(_step_url(draft, step))


def _confirmation(request: HttpRequest, draft: OnlineApplication) -> HttpResponse:
    application = draft.submitted
    return render(
        request,
        "customer/apply_rebate/confirmation.html",
        {
            "draft": draft,
            "application": application,
            "lines": list(application.lines.select_related("measure"))
            if application is not None
            else [],
        },
    )


# --------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------


@customer_page
@require_http_methods(["GET", "POST"])
def apply_rebate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in online.STEP_NAMES:
        raise Http404("No such step.")
    draft = _draft(request, pk)
    if not draft.is_draft():
        messages.info(request, ALREADY_SUBMITTED)
        return redirect("customer:apply_rebate_resume", draft.pk)
    answers = online.rebate_draft_answers(draft)
    missing = _first_missing(draft, answers)
    if missing and online.STEP_ORDER.index(missing) < online.STEP_ORDER.index(step):
        return redirect(_step_url(draft, missing))
    handler = STEP_VIEWS[step]
    return handler(request, draft, answers)


def _program_answers(form: ProgramStepForm) -> dict[str, str]:
    return {
        "program": str(form.cleaned_data["program"].pk),
        "account": str(form.cleaned_data["account"].pk),
    }


def _program_step(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> HttpResponse:
    initial = {
        "program": answers.program.pk if answers.program else None,
        "account": answers.account.pk if answers.account else None,
    }
    form = ProgramStepForm(
        _posted(request),
        customer=draft.customer,
        today=timezone.localdate(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        chosen = _program_answers(form)
        # Another program has other measures: the old answers don't apply.
        other = answers.program is not None and chosen["program"] != str(
            answers.program.pk
        )
        _save(request, draft, "program", chosen, drop=("measures",) if other else ())
        return _after_post(request, draft, "program")
    return _page(request, draft, "program", {"form": form}, answers)


def _measures_forms(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> tuple[Any, InstallForm]:
    assert answers.program is not None
    measures = list(Measure.objects.filter(program=answers.program).order_by("code"))
    saved = (draft.data or {}).get("measures") or {}
    lines = saved.get("lines") or {}
    initial = [
        {
            "quantity": lines.get(str(m.pk), {}).get("quantity") or None,
            "invoiced_cost": lines.get(str(m.pk), {}).get("invoiced_cost") or None,
        }
        for m in measures
    ]
    data = request.POST if request.method == "POST" else None
    formset = MeasuresFormSet(data, measures=measures, initial=initial, prefix="line")
    install = InstallForm(
        data,
        today=timezone.localdate(),
        initial={
            "install_date": saved.get("install_date"),
            "contractor_name": saved.get("contractor_name", ""),
        },
    )
    return formset, install


def _measures_step(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> HttpResponse:
    formset, install = _measures_forms(request, draft, answers)
    if request.method == "POST":
        formset_ok = formset.is_valid()  # both validated: every message at once
        if install.is_valid() and formset_ok:
            _save(
                request,
                draft,
                "measures",
                {
                    "lines": formset.lines(),
                    "install_date": install.cleaned_data["install_date"].isoformat(),
                    "contractor_name": install.cleaned_data["contractor_name"],
                },
            )
            return _after_post(request, draft, "measures")
    return _page(
        request,
        draft,
        "measures",
        {"formset": formset, "install": install, "program": answers.program},
        answers,
    )


def _required_documents(answers: online.RebateAnswers) -> list[str]:
    wanted: list[str] = []
    for line in answers.lines:
        for kind in line.measure.required_documents:
            if kind not in wanted:
                wanted.append(kind)
    return wanted


def _documents_step(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> HttpResponse:
    required = _required_documents(answers)
    action = request.POST.get("action", "")
    upload_data = (request.POST, request.FILES) if action == "upload" else (None,)
    form = DocumentUploadForm(*upload_data, required_types=required)
    if action == "upload" and form.is_valid():
        try:
            with transaction.atomic():
                document = document_upload(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    document_type=form.cleaned_data["document_type"],
                    customer=draft.customer,
                    description=f"Online rebate application {draft.pk}",
                )
                draft.documents.add(document)
                _save(request, draft, draft.step or "measures")
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, f"Uploaded {document.original_name}.")
            return redirect(_step_url(draft, "documents"))
    elif action == "remove":
        removed = draft.documents.filter(pk=request.POST.get("document") or 0).first()
        if removed is not None:
            with transaction.atomic():
                draft.documents.remove(removed)
                _save(request, draft, draft.step or "measures")
            messages.success(request, f"Removed {removed.original_name}.")
        return redirect(_step_url(draft, "documents"))
    elif action in ("next", "later"):
        _save(request, draft, "documents")
        return _after_post(request, draft, "documents")
    documents = list(draft.documents.order_by("uploaded_at", "pk"))
    have = {d.document_type for d in documents}
    labels = dict(DocumentType.choices)
    checklist = [
        {"label": labels.get(kind, kind), "done": kind in have} for kind in required
    ]
    return _page(
        request,
        draft,
        "documents",
        {"form": form, "documents": documents, "checklist": checklist},
        answers,
    )


def _eligibility_step(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> HttpResponse:
    if request.method == "POST":
        _save(request, draft, "eligibility")
        return _after_post(request, draft, "eligibility")
    estimate = online.rebate_draft_estimate(draft)
    return _page(request, draft, "eligibility", {"estimate": estimate}, answers)


def _review_step(
    request: HttpRequest, draft: OnlineApplication, answers: online.RebateAnswers
) -> HttpResponse:
    form = ReviewForm(_posted(request))
    refusals: list[dict[str, Any]] = []
    if request.method == "POST":
        if request.POST.get("action") == "later":
            # Remembered as "eligibility" seen: resuming opens the review.
            _save(request, draft, "eligibility")
            return _after_post(request, draft, "review")
        if form.is_valid():
            try:
                application = online.rebate_application_submit_online(
                    actor=request.user, draft=draft
                )
            except ValidationError as error:
                refusals = _refusals(draft, error)
            else:
                messages.success(
                    request, SUBMITTED.format(reference=application.reference)
                )
                return redirect("customer:apply_rebate_resume", draft.pk)
    documents = list(draft.documents.order_by("uploaded_at", "pk"))
    estimate = online.rebate_draft_estimate(draft)
    return _page(
        request,
        draft,
        "review",
        {
            "form": form,
            "refusals": refusals,
            "documents": documents,
            "estimate": estimate,
            "change": {slug: _step_url(draft, slug) for slug in online.STEP_ORDER},
        },
        answers,
    )


def _refusals(draft: OnlineApplication, error: ValidationError) -> list[dict[str, Any]]:
    """The service's refusals grouped by the step where they are put right."""
    if not hasattr(error, "error_dict"):
        return [{"step": "", "name": "", "url": "", "messages": error.messages}]
    grouped = []
    for key, errors in error.message_dict.items():
        step = FIX_AT.get(key, "review")
        grouped.append(
            {
                "step": step,
                "name": online.STEP_NAMES[step],
                "url": _step_url(draft, step),
                "messages": errors,
            }
        )
    return grouped


STEP_VIEWS = {
    "program": _program_step,
    "measures": _measures_step,
    "documents": _documents_step,
    "eligibility": _eligibility_step,
    "review": _review_step,
}
