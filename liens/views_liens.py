"""Back-office screens of a lien: its page (loan, property, customer, the
recording facts in words, its documents, history) with the workflow buttons
its predicates allow; one small view per step (record → form, prepare the
satisfaction → confirmation, record the satisfaction → form); creating a
loan's missing lien (migrated loans); payoff requests; the lien register.

A refusal is the service's (the predicate's) message, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from liens import forms_liens as f
from liens.models import Lien, PayoffRequest
from liens.selectors_liens import lien_register, lien_register_xlsx
from liens.services import liens as services
from liens.services.payoffs import payoff_request_create
from loans.models import Loan
from portal.choices import DocumentType
from portal.models import Document
from portal.money import format_money
from portal.services import document_upload
from portal.templatetags.portal_format import day_text
from portal.viewsets import history_url

TEMPLATES = "liens/admin/"


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _who(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _page(request: Any, template: str, title: str, **context: Any) -> Any:
    return render(
        request,
        TEMPLATES + template,
        {"page_title": title, "header_title": title, "header_icon": "lock", **context},
    )


def _lien(pk: int) -> Lien:
    return get_object_or_404(
        Lien.objects.select_related("loan", "loan__customer", "parcel"), pk=pk
    )


def _report(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def recording_words(lien: Lien) -> str:
    """ "Recorded in Marion County on January 15, 2026 as instrument 2026-004512"."""
    if lien.recorded_on is None:
        return "Not yet recorded."
    where = (
        f"as instrument {lien.instrument_number}"
        if lien.instrument_number
        else f"in book {lien.book}, page {lien.page}"
    )
    return (
        f"Recorded in {lien.recording_county} County on {day_text(lien.recorded_on)} "
        f"{where}, in position {lien.position}."
    )


def _document_link(document: Document | None) -> dict[str, str] | None:
    if document is None:
        return None
    return {
        "name": document.original_name,
        "url": reverse("admin_document_file", args=[document.pk]),
    }


def lien_facts(lien: Lien) -> list[tuple[str, str]]:
    loan = lien.loan
    facts = [
        ("Status", lien.get_status_display()),
        ("Amount secured", format_money(lien.amount.amount)),
        ("Position", str(lien.position)),
        ("Loan", loan.number),
        ("Borrower", loan.customer.display_name),
        ("Property", str(lien.parcel)),
        ("Recording", recording_words(lien)),
    ]
    if lien.subordinated_on:
        facts.append(("Last subordinated", day_text(lien.subordinated_on)))
    if lien.satisfaction_prepared_on:
        facts.append(("Satisfaction prepared", day_text(lien.satisfaction_prepared_on)))
    if lien.satisfied_on:
        facts.append(
            (
                "Satisfaction recorded",
                f"{day_text(lien.satisfied_on)} as instrument "
                f"{lien.satisfaction_instrument_number}",
            )
        )
    return facts


BUTTONS = {
    "record": ("Record", "lien_record"),
    "prepare_satisfaction": ("Prepare satisfaction", "lien_prepare_satisfaction"),
    "satisfy": ("Record satisfaction", "lien_satisfy"),
}


def lien_buttons(lien: Lien, user: Any) -> list[dict[str, str]]:
    """The workflow buttons its predicates allow this user now."""
    return [
        {"label": label, "url": reverse(name, args=[lien.pk])}
        for action, (label, name) in BUTTONS.items()
        if getattr(lien, f"can_{action}")(user)
    ]


def lien_page(request: Any, pk: int) -> Any:
    _require(request, "liens.view_lien")
    lien = _lien(pk)
    return _page(
        request,
        "lien_page.html",
        f"Lien {lien.reference}",
        lien=lien,
        facts=lien_facts(lien),
        buttons=lien_buttons(lien, request.user),
        documents=[
            d
            for d in (
                _document_link(lien.recorded_document),
                _document_link(lien.satisfaction_document),
            )
            if d
        ],
        loan_url=reverse("loans:inspect", args=[lien.loan_id]),
        property_url=reverse("properties:inspect", args=[lien.parcel_id]),
        customer_url=reverse("customers:inspect", args=[lien.loan.customer_id]),
        history_url=history_url(lien),
        payoff_requests=PayoffRequest.objects.filter(loan_id=lien.loan_id),
        payoff_request_url=reverse("lien_payoff_request_new", args=[lien.loan_id])
        if PayoffRequest.can_create_for(lien.loan, request.user)
        else None,
    )


def _upload(request: Any, form: Any, field: str, lien: Lien, what: str) -> Any:
    upload = form.cleaned_data.get(field)
    if not upload:
        return None
    return document_upload(
        actor=request.user,
        upload=upload,
        document_type=DocumentType.OTHER,
        customer=lien.loan.customer,
        description=f"{what} for lien {lien.reference}",
    )


def _refused_back(request: Any, verdict: Any, lien: Lien) -> Any:
    messages.error(request, verdict.reason)
    return redirect("lien_page", lien.pk)


def lien_record(request: Any, pk: int) -> Any:
    _require(request, "liens.view_lien")
    lien = _lien(pk)
    if not (verdict := lien.can_record(request.user)):
        return _refused_back(request, verdict, lien)
    form = f.LienRecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"position": lien.position},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.lien_record(
                    actor=request.user,
                    lien=lien,
                    recording_county=data["recording_county"],
                    instrument_number=data["instrument_number"],
                    book=data["book"],
                    page=data["page"],
                    recorded_on=data["recorded_on"],
                    position=data["position"],
                    recorded_document=_upload(
                        request, form, "recorded_document", lien, "Recorded lien"
                    ),
                )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, f"Lien {lien.reference} recorded.")
            return redirect("lien_page", lien.pk)
    return _page(
        request,
        "action_form.html",
        f"Record lien {lien.reference}",
        form=form,
        facts=lien_facts(lien),
        submit="Record",
        back_url=reverse("lien_page", args=[lien.pk]),
    )


def lien_prepare_satisfaction(request: Any, pk: int) -> Any:
    _require(request, "liens.view_lien")
    lien = _lien(pk)
    if not (verdict := lien.can_prepare_satisfaction(request.user)):
        return _refused_back(request, verdict, lien)
    if request.method == "POST":
        try:
            services.lien_prepare_satisfaction(actor=request.user, lien=lien)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Satisfaction of lien {lien.reference} prepared for signature.",
            )
        return redirect("lien_page", lien.pk)
    return _page(
        request,
        "confirm.html",
        f"Prepare the satisfaction of lien {lien.reference}",
        facts=lien_facts(lien),
        warning=(
            f"Loan {lien.loan.number} was paid off on {day_text(lien.loan.paid_off_on)}. "
            "This prepares the satisfaction of lien for signature; the lien stands "
            "until the county records it."
        ),
        submit="Prepare satisfaction",
        back_url=reverse("lien_page", args=[lien.pk]),
    )


def lien_satisfy(request: Any, pk: int) -> Any:
    _require(request, "liens.view_lien")
    lien = _lien(pk)
    if not (verdict := lien.can_satisfy(request.user)):
        return _refused_back(request, verdict, lien)
    form = f.LienSatisfyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.lien_satisfy(
                    actor=request.user,
                    lien=lien,
                    satisfied_on=data["satisfied_on"],
                    satisfaction_instrument_number=data[
                        "satisfaction_instrument_number"
                    ],
                    document=_upload(
                        request, form, "document", lien, "Recorded satisfaction"
                    ),
                )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, f"Lien {lien.reference} satisfied.")
            return redirect("lien_page", lien.pk)
    return _page(
        request,
        "action_form.html",
        f"Record the satisfaction of lien {lien.reference}",
        form=form,
        facts=lien_facts(lien),
        submit="Record satisfaction",
        back_url=reverse("lien_page", args=[lien.pk]),
    )


def _loan(pk: int) -> Loan:
    return get_object_or_404(Loan.objects.select_related("customer", "parcel"), pk=pk)


def lien_create(request: Any, loan_pk: int) -> Any:
    """The "Create lien" button on a loan that needs one and has none."""
    _require(request, "liens.view_lien")
    loan = _loan(loan_pk)
    back = reverse("loans:inspect", args=[loan.pk])
    if not (verdict := services.can_create_lien(loan, request.user)):
        messages.error(request, verdict.reason)
        return redirect(back)
    if request.method == "POST":
        try:
            lien = services.lien_create_for_loan(actor=request.user, loan=loan)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(request, f"Lien {lien.reference} created, to record.")
        return redirect("lien_page", lien.pk)
    return _page(
        request,
        "confirm.html",
        f"Create the lien for loan {loan.number}",
        facts=[
            ("Loan", loan.number),
            ("Borrower", loan.customer.display_name),
            ("Amount secured", format_money(loan.principal)),
            ("Property", str(loan.parcel)),
        ],
        warning="The lien is created to record, in first position, for the "
        "loan's principal.",
        submit="Create lien",
        back_url=back,
    )


def payoff_request_new(request: Any, loan_pk: int) -> Any:
    _require(request, "liens.view_payoffrequest")
    loan = _loan(loan_pk)
    back = reverse("loans:inspect", args=[loan.pk])
    if not (verdict := PayoffRequest.can_create_for(loan, request.user)):
        messages.error(request, verdict.reason)
        return redirect(back)
    form = f.PayoffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payoff = payoff_request_create(
                actor=request.user, loan=loan, **form.cleaned_data
            )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(
                request,
                f"Payoff request {payoff.reference} entered; its letter is ready.",
            )
            return redirect("lien_payoff_request", payoff.pk)
    return _page(
        request,
        "action_form.html",
        f"Payoff request for loan {loan.number}",
        form=form,
        facts=[("Loan", loan.number), ("Borrower", loan.customer.display_name)],
        submit="Enter and prepare the payoff letter",
        back_url=back,
    )


def payoff_request_page(request: Any, pk: int) -> Any:
    _require(request, "liens.view_payoffrequest")
    payoff = get_object_or_404(
        PayoffRequest.objects.select_related("loan", "loan__customer", "created_by"),
        pk=pk,
    )
    lien = payoff.loan.liens.order_by("-pk").first()
    return _page(
        request,
        "payoff_request_page.html",
        f"Payoff request {payoff.reference}",
        payoff=payoff,
        facts=[
            ("Title company", payoff.title_company),
            ("Contact", f"{payoff.contact_name} <{payoff.email}>"),
            ("Loan", payoff.loan.number),
            ("Borrower", payoff.loan.customer.display_name),
            ("Closing date", day_text(payoff.closing_on)),
            ("Payoff good through", day_text(payoff.payoff_on)),
            ("Entered by", _who(payoff.created_by)),
            (
                "Paid",
                f"Yes, the loan was paid off on {day_text(payoff.loan.paid_off_on)}"
                if payoff.is_paid()
                else "Not yet",
            ),
        ],
        letter=_document_link(payoff.letter_document),
        lien_url=reverse("lien_page", args=[lien.pk]) if lien else None,
        loan_url=reverse("loans:inspect", args=[payoff.loan_id]),
        history_url=history_url(payoff),
    )


def lien_register_download(request: Any) -> Any:
    _require(request, "liens.view_lien")
    today = timezone.localdate()
    form = f.RegisterForm(
        request.GET or None,
        initial={"start": today.replace(month=1, day=1), "end": today},
    )
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        content = lien_register_xlsx(
            lien_register(start, end), generated_by=request.user
        )
        response = HttpResponse(
            content,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        response["Content-Disposition"] = (
            f'attachment; filename="lien-register-{start}-{end}.xlsx"'
        )
        return response
    return _page(request, "register_form.html", "Lien register", form=form)
