"""Back-office screens for subordination requests: the request's page (the
review facts in words and dollars, each rule's pass or fail, documents, and
the buttons its predicates allow), the staff entry form, and one small view
per step. Irreversible steps (approve, deny, record) go through a page that
shows what will happen before the button that does it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from liens.choices import LienStatus
from liens.choices_subordinations import SubordinationSource
from liens.forms_public import LenderRequestForm
from liens.models import Lien, SubordinationRequest
from liens.selectors_subordinations import ReviewFacts, review_facts
from liens.services import subordinations as svc
from portal.money import MoneyFormField, format_money
from portal.templatetags.portal_format import day_text
from portal.transitions import open_actions

# What the buttons say (the code names never reach the screen).
ACTION_LABELS = {
    "match": "Match to a lien",
    "start_review": "Start review",
    "approve": "Approve",
    "deny": "Deny with a reason",
    "generate_agreement": "Generate agreement",
    "record": "Record agreement",
    "withdraw": "Withdraw",
}


def _who(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _page(request: Any, template: str, title: str, **context: Any) -> Any:
    return render(
        request,
        f"liens/subordinations/{template}",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "arrow-down",
            **context,
        },
    )


def _load(request: Any, pk: int) -> SubordinationRequest:
    if not request.user.has_perm("liens.view_subordinationrequest"):
        raise PermissionDenied
    return get_object_or_404(
        SubordinationRequest.objects.select_related(
            "lien", "lien__loan", "lien__parcel", "prepared_by", "decided_by"
        ),
        pk=pk,
    )


def _back(sr: SubordinationRequest) -> str:
    return reverse("subordination_request", args=[sr.pk])


def facts_rows(sr: SubordinationRequest, facts: ReviewFacts) -> list[tuple[str, str]]:
    """The review facts in words and dollars."""
    lien = sr.lien
    rows = [
        ("Reference", sr.reference or "—"),
        ("Status", sr.get_status_display()),
        ("Lending institution", sr.institution),
        (
            "Contact",
            f"{sr.contact_name}, {sr.contact_email}"
            + (f", {sr.contact_phone}" if sr.contact_phone else ""),
        ),
        ("Property (as submitted)", sr.property_text),
        ("Borrower (as submitted)", sr.borrower_name),
        ("Purpose", sr.get_purpose_display()),
        (
            "Received",
            f"{day_text(timezone.localdate(sr.received_at))} ({sr.get_source_display().lower()})",
        ),
        (
            "Our lien",
            f"{lien.reference}, position {lien.position}, {lien.get_status_display().lower()}"
            if lien
            else "Not matched yet",
        ),
        (
            "Loan",
            f"{facts.loan_number}: {facts.standing.lower()}"
            if lien
            else facts.standing,
        ),
        ("Our balance", format_money(facts.our_balance) if lien else "—"),
        ("Senior liens", format_money(facts.senior_liens)),
        ("New loan", format_money(facts.new_loan)),
        ("Appraised value", format_money(facts.appraised_value)),
        (
            "Combined loan-to-value",
            f"{facts.cltv}%" if lien and facts.cltv is not None else "—",
        ),
        (
            "Fee",
            f"Paid {format_money(sr.fee_amount.amount) if sr.fee_amount else ''} on {day_text(sr.fee_paid_on)}".replace(
                "  ", " "
            )
            if sr.fee_paid
            else "Not paid",
        ),
        ("Prepared by", _who(sr.prepared_by)),
        ("Decided by", _who(sr.decided_by)),
    ]
    if sr.denial_reason:
        rows.append(("Reason for denial", sr.denial_reason))
    if sr.recorded_on:
        rows.append(
            (
                "Agreement recorded",
                f"{day_text(sr.recorded_on)}, instrument {sr.instrument_number}, new position {sr.new_position}",
            )
        )
    return rows


def subordination_request(request: Any, pk: int) -> Any:
    sr = _load(request, pk)
    facts = review_facts(sr)
    user = request.user
    actions = [
        {"label": ACTION_LABELS[a], "url": reverse(f"subordination_{a}", args=[sr.pk])}
        for a in open_actions(sr, user, SubordinationRequest.ACTIONS)
    ]
    approve = sr.can_approve(user)
    documents = [
        {"label": d.original_name, "url": reverse("admin_document_file", args=[d.pk])}
        for d in [*sr.documents.all(), sr.agreement_document, sr.denial_letter]
        if d is not None
    ]
    return _page(
        request,
        "request.html",
        f"Subordination request {sr.reference}",
        sr=sr,
        facts=facts_rows(sr, facts),
        rules=facts.rules,
        actions=actions,
        approval_blocked=(
            "Approval: " + " ".join(f.reason for f in facts.failures)
            if approve and facts.failures
            else ""
        ),
        documents=documents,
    )


# --- forms ------------------------------------------------------------------


class LienChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.reference}: {obj.parcel.parcel_id} {obj.parcel.line1}, "
            f"loan {obj.loan.number}, position {obj.position}"
        )


class MatchForm(forms.Form):
    lien = LienChoiceField(
        label="Our lien",
        queryset=Lien.objects.filter(
            status__in=[LienStatus.RECORDED, LienStatus.SUBORDINATED]
        ).select_related("parcel", "loan"),
        error_messages={"required": "Choose the lien this request is about."},
    )


class DenyForm(forms.Form):
    reason = forms.CharField(
        label="Reason (printed in the letter to the lender)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RecordForm(forms.Form):
    recorded_on = forms.DateField(
        label="Recorded on",
        error_messages={
            "required": "Enter the date the county recorded it.",
            "invalid": "Enter a date like 2026-03-04.",
        },
    )
    instrument_number = forms.CharField(
        label="Instrument number", max_length=60, required=False
    )
    new_position = forms.IntegerField(
        label="Lien's new position",
        required=False,
        min_value=1,
        error_messages={"invalid": "The position is a whole number (2 for second)."},
    )


class AgreementForm(forms.Form):
    new_position = forms.IntegerField(
        label="Lien's new position (printed in the agreement)",
        required=False,
        min_value=1,
    )


class StaffRequestForm(LenderRequestForm):
    fee_paid = forms.BooleanField(label="Fee paid", required=False)
    fee_paid_on = forms.DateField(label="Fee paid on", required=False)
    fee_amount = MoneyFormField(label="Fee amount", required=False)


# --- the steps --------------------------------------------------------------


def _step(
    request: Any,
    pk: int,
    action: str,
    *,
    form_class: type[forms.Form] | None,
    run: Callable[[SubordinationRequest, dict[str, Any]], Any],
    submit: str,
    warning: str = "",
    done: str,
) -> Any:
    sr = _load(request, pk)
    verdict = getattr(sr, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(_back(sr))
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    if form_class in (RecordForm, AgreementForm) and sr.lien is not None:
        initial["new_position"] = sr.lien.position + 1
    form = (form_class or forms.Form)(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run(sr, form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect(_back(sr))
    return _page(
        request,
        "action.html",
        f"{ACTION_LABELS[action]}: {sr.reference}",
        form=form,
        facts=facts_rows(sr, review_facts(sr))[:16],
        submit=submit,
        warning=warning,
        back_url=_back(sr),
    )


def subordination_match(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "match",
        form_class=MatchForm,
        run=lambda sr, d: svc.subordination_request_match(
            actor=request.user, request=sr, lien=d["lien"]
        ),
        submit="Match",
        done="Matched to the lien.",
    )


def subordination_start_review(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "start_review",
        form_class=None,
        run=lambda sr, d: svc.subordination_start_review(
            actor=request.user, request=sr
        ),
        submit="Start review",
        done="Review started; a supervisor approves or denies it.",
    )


def subordination_approve(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "approve",
        form_class=None,
        run=lambda sr, d: svc.subordination_approve(actor=request.user, request=sr),
        submit="Approve the subordination",
        warning="Approving commits the utility to stand behind the new loan once the agreement is recorded.",
        done="Subordination approved.",
    )


def subordination_deny(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "deny",
        form_class=DenyForm,
        run=lambda sr, d: svc.subordination_deny(
            actor=request.user, request=sr, reason=d["reason"]
        ),
        submit="Deny and write the letter",
        warning="Denying is final; the lender receives the reason in a letter.",
        done="Request denied; the letter is among its documents.",
    )


def subordination_generate_agreement(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "generate_agreement",
        form_class=AgreementForm,
        run=lambda sr, d: svc.subordination_agreement_generate(
            actor=request.user, request=sr, new_position=d.get("new_position")
        ),
        submit="Generate the agreement",
        done="Subordination agreement generated.",
    )


def subordination_record(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "record",
        form_class=RecordForm,
        run=lambda sr, d: svc.subordination_record(
            actor=request.user,
            request=sr,
            recorded_on=d["recorded_on"],
            instrument_number=d.get("instrument_number") or "",
            new_position=d.get("new_position") or 0,
        ),
        submit="Record and move the lien",
        warning="Recording moves our lien to its new position on the property.",
        done="Agreement recorded; the lien is subordinated.",
    )


def subordination_withdraw(request: Any, pk: int) -> Any:
    return _step(
        request,
        pk,
        "withdraw",
        form_class=None,
        run=lambda sr, d: svc.subordination_withdraw(actor=request.user, request=sr),
        submit="Withdraw the request",
        warning="A withdrawn request is closed without a decision.",
        done="Request withdrawn.",
    )


def subordination_request_new(request: Any) -> Any:
    if not request.user.has_perm("liens.review_subordination"):
        raise PermissionDenied
    form = StaffRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sr = svc.subordination_request_submit(
                actor=request.user,
                source=SubordinationSource.STAFF,
                institution=d["institution"],
                contact_name=d["contact_name"],
                contact_email=d["contact_email"],
                contact_phone=d["contact_phone"],
                property_text=d["property_text"],
                borrower_name=d["borrower_name"],
                new_loan_amount=d["new_loan_amount"],
                purpose=d["purpose"],
                appraised_value=d["appraised_value"],
                senior_liens_total=d["senior_liens_total"],
                fee_paid=d["fee_paid"],
                fee_paid_on=d["fee_paid_on"],
                fee_amount=d["fee_amount"],
                uploads=d["documents"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error("documents", error.messages)
        else:
            messages.success(request, f"Request {sr.reference} entered.")
            return redirect(_back(sr))
    return _page(
        request,
        "action.html",
        "New subordination request",
        form=form,
        facts=[],
        submit="Enter the request",
        warning="",
        back_url=reverse("subordination_requests:index"),
        multipart=True,
    )
