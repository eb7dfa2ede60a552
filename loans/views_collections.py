"""Collections in the back office (Loans › Collections work queue): the work
queue, a loan's collections page (what was done, the next step, recording
an action or a promise to pay), and payment arrangements (propose, approve
and cancel, the last two through a confirmation page).

Thin handlers in the style of loans/views.py: a predicate's refusal is a
message on the loan's collections page; a service's refusal lands on the
form's field (status 200), never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from loans.choices import ActionChannel, ActionType, PromiseStatus
from loans.forms import DateField, TextField
from loans.models import Loan, PaymentArrangement
from loans.schedule import DPD_BUCKETS
from loans.selectors_collections import (
    actions_newest_first,
    collection_queue,
    past_due_amount,
    queue_row,
)
from loans.services import arrangements as arranging
from loans.services.collections import collection_action_record
from loans.views import add_service_errors
from loans.words import DPD_BUCKET_WORDS
from portal.money import MoneyFormField, format_money
from portal.roles import PROGRAM_STAFF, SUPERVISOR
from portal.templatetags.portal_format import day_text, person_text

PER_PAGE = 50
ALL_OFFICERS = ""
NO_OFFICER = "none"


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _posted(request: Any) -> Any:
    return request.POST if request.method == "POST" else None


# --------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------


class CollectionActionForm(forms.Form):
    type = forms.ChoiceField(
        label="What was done",
        choices=ActionType.choices,
        error_messages={"required": "Choose what was done."},
    )
    date = DateField("Date", initial=timezone.localdate)
    channel = forms.ChoiceField(
        label="How",
        choices=ActionChannel.choices,
        error_messages={"required": "Choose how it was done."},
    )
    outcome = TextField("Outcome", max_length=200, help_text="In a few words.")
    note = TextField("Note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    promise_amount = MoneyFormField(
        label="Promised amount",
        required=False,
        help_text="A promise to pay only: dollars and cents, e.g. 250.00.",
    )
    promise_date = DateField(
        "Promised by",
        required=False,
        help_text="A promise to pay only: the day the customer will have paid by.",
    )


class ArrangementForm(forms.Form):
    months = forms.IntegerField(
        label="Spread over (months)",
        min_value=1,
        max_value=arranging.MAX_MONTHS,
        error_messages={
            "required": "Say over how many months.",
            "invalid": "The number of months is a whole number.",
            "min_value": arranging.MONTHS_RANGE,
            "max_value": arranging.MONTHS_RANGE,
        },
    )
    first_due_date = DateField("First payment date")
    channel = forms.ChoiceField(
        label="Agreed with the customer by",
        choices=[
            (c.value, c.label) for c in ActionChannel if c != ActionChannel.SYSTEM
        ],
    )
    note = TextField("Note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = TextField("Why is it cancelled?", max_length=255)


# --------------------------------------------------------------------------
# The work queue
# --------------------------------------------------------------------------


def _officers() -> list[Any]:
    User = get_user_model()
    return list(
        User.objects.filter(
            groups__name__in=[PROGRAM_STAFF, SUPERVISOR], is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def queue(request: Any) -> Any:
    _require(request, "loans.view_collectionaction")
    today = timezone.localdate()
    bucket = request.GET.get("bucket", "")
    if bucket not in DPD_BUCKETS or bucket == "current":
        bucket = ""
    officers = _officers()
    chosen = request.GET.get("officer", ALL_OFFICERS)
    officer: Any = None
    if chosen == NO_OFFICER:
        officer = NO_OFFICER
    elif chosen:
        officer = next((u for u in officers if str(u.pk) == chosen), None)
        if officer is None:
            chosen = ALL_OFFICERS
    rows = collection_queue(today, bucket=bucket, officer=officer)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "loans/collections/queue.html",
        {
            "page_title": "Collections work queue",
            "header_title": "Collections work queue",
            "header_icon": "warning",
            "as_of": today,
            "page": page,
            "rows": page.object_list,
            "count": len(rows),
            "bucket": bucket,
            "buckets": [
                (b, DPD_BUCKET_WORDS[b]) for b in DPD_BUCKETS if b != "current"
            ],
            "officers": [(str(u.pk), person_text(u)) for u in officers],
            "officer": chosen,
        },
    )


# --------------------------------------------------------------------------
# A loan's collections page: history, next step, record an action
# --------------------------------------------------------------------------


def _loan(pk: int) -> Loan:
    return get_object_or_404(
        Loan.objects.select_related("customer", "officer", "product"), pk=pk
    )


def loan_collections(request: Any, pk: int) -> Any:
    _require(request, "loans.view_collectionaction")
    loan = _loan(pk)
    today = timezone.localdate()
    row = queue_row(loan, today)
    can_record = request.user.has_perm("loans.record_collection_action")
    if request.method == "POST" and not can_record:
        messages.error(
            request, "You don't have permission to record collection actions."
        )
        return redirect("collections:loan", loan.pk)
    initial: dict[str, Any] = {"date": today}
    if row is not None and row.next_step is not None:
        initial.update(type=row.next_step.action_type, channel=row.next_step.channel)
    form = CollectionActionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = collection_action_record(
                actor=request.user,
                loan=loan,
                type=data["type"],
                on=data["date"],
                channel=data["channel"],
                outcome=data["outcome"],
                note=data["note"],
                promise_amount=data["promise_amount"],
                promise_date=data["promise_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            said = f"{action.get_type_display()} recorded on loan {loan.number}"
            if action.is_promise():
                assert action.promise_amount is not None
                said += (
                    f": {format_money(action.promise_amount)} promised by "
                    f"{day_text(action.promise_date)}"
                )
            messages.success(request, said + ".")
            return redirect("collections:loan", loan.pk)
    arrangements = list(
        PaymentArrangement.objects.filter(loan=loan)
        .select_related("proposed_by", "approved_by", "cancelled_by")
        .prefetch_related("payments")
    )
    return render(
        request,
        "loans/collections/loan.html",
        {
            "page_title": f"Collections on loan {loan.number}",
            "header_title": f"Collections on loan {loan.number}",
            "header_icon": "warning",
            "loan": loan,
            "row": row,
            "as_of": today,
            "actions": list(actions_newest_first(loan)),
            "form": form if can_record else None,
            "arrangements": [
                {
                    "arrangement": a,
                    "approve_url": reverse(
                        "collections:arrangement_approve", args=[a.pk]
                    )
                    if a.can_approve(request.user)
                    else None,
                    "cancel_url": reverse("collections:arrangement_cancel", args=[a.pk])
                    if a.can_cancel(request.user)
                    else None,
                }
                for a in arrangements
            ],
            "can_propose": row is not None
            and request.user.has_perm("loans.propose_arrangement")
            and not any(a.is_open() for a in arrangements),
            "open_promise": PromiseStatus.OPEN,
        },
    )


# --------------------------------------------------------------------------
# Arrangements: propose, approve, cancel
# --------------------------------------------------------------------------


def _arrangement_facts(arrangement: PaymentArrangement) -> list[tuple[str, Any]]:
    return [
        ("Loan", f"{arrangement.loan.number} — {arrangement.loan.customer}"),
        ("Arrangement", arrangement.reference),
        ("Past-due amount spread", format_money(arrangement.past_due_amount)),
        ("Over", f"{arrangement.months} months"),
        ("First payment", day_text(arrangement.first_due_date)),
        ("Proposed by", person_text(arrangement.proposed_by)),
        ("Status", arrangement.get_status_display()),
    ]


def arrangement_propose(request: Any, pk: int) -> Any:
    _require(request, "loans.view_collectionaction")
    loan = _loan(pk)
    back_url = reverse("collections:loan", args=[loan.pk])
    if not request.user.has_perm("loans.propose_arrangement"):
        messages.error(
            request, "You don't have permission to propose payment arrangements."
        )
        return redirect(back_url)
    today = timezone.localdate()
    form = ArrangementForm(
        _posted(request),
        initial={"months": 6, "first_due_date": _next_due(loan, today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            arrangement = arranging.arrangement_propose(
                actor=request.user,
                loan=loan,
                months=data["months"],
                first_due_date=data["first_due_date"],
                channel=data["channel"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Arrangement {arrangement.reference} proposed: "
                f"{format_money(arrangement.past_due_amount)} past due over "
                f"{arrangement.months} months from "
                f"{day_text(arrangement.first_due_date)}. It takes effect once "
                "approved.",
            )
            return redirect(back_url)
    return render(
        request,
        "loans/admin/action_form.html",
        {
            "page_title": f"Propose a payment arrangement for loan {loan.number}",
            "header_title": f"Propose a payment arrangement for loan {loan.number}",
            "header_icon": "warning",
            "form": form,
            "facts": [
                ("Loan", f"{loan.number} — {loan.customer}"),
                ("Past due today", format_money(past_due_amount(loan, today))),
                ("Regular installment", format_money(loan.installment_amount)),
            ],
            "submit": "Propose the arrangement",
            "back_url": back_url,
        },
    )


def _next_due(loan: Loan, today: date) -> date | None:
    return (
        loan.installments.filter(due_date__gte=today)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )


def _arrangement(pk: int) -> PaymentArrangement:
    return get_object_or_404(
        PaymentArrangement.objects.select_related(
            "loan", "loan__customer", "proposed_by"
        ),
        pk=pk,
    )


def arrangement_approve(request: Any, pk: int) -> Any:
    _require(request, "loans.view_paymentarrangement")
    arrangement = _arrangement(pk)
    back_url = reverse("collections:loan", args=[arrangement.loan_id])
    verdict = arrangement.can_approve(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(back_url)
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            arranging.arrangement_approve(actor=request.user, arrangement=arrangement)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Arrangement {arrangement.reference} approved: it is active and "
                "holds the collection ladder while it is kept.",
            )
            return redirect(back_url)
    return render(
        request,
        "loans/collections/arrangement_confirm.html",
        {
            "page_title": f"Approve arrangement {arrangement.reference}?",
            "header_title": f"Approve arrangement {arrangement.reference}?",
            "header_icon": "warning",
            "form": form,
            "facts": _arrangement_facts(arrangement),
            "schedule": list(arrangement.payments.order_by("number")),
            "warning": "Once approved the customer owes these amounts on these "
            "dates; a missed date breaks the arrangement.",
            "submit": f"Yes, approve arrangement {arrangement.reference}",
            "cancel": "No, not now",
            "back_url": back_url,
        },
    )


def arrangement_cancel(request: Any, pk: int) -> Any:
    _require(request, "loans.view_paymentarrangement")
    arrangement = _arrangement(pk)
    back_url = reverse("collections:loan", args=[arrangement.loan_id])
    verdict = arrangement.can_cancel(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(back_url)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            arranging.arrangement_cancel(
                actor=request.user,
                arrangement=arrangement,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Arrangement {arrangement.reference} cancelled.")
            return redirect(back_url)
    return render(
        request,
        "loans/collections/arrangement_confirm.html",
        {
            "page_title": f"Cancel arrangement {arrangement.reference}?",
            "header_title": f"Cancel arrangement {arrangement.reference}?",
            "header_icon": "warning",
            "form": form,
            "facts": _arrangement_facts(arrangement),
            "schedule": list(arrangement.payments.order_by("number")),
            "warning": "A cancelled arrangement can't be made active again; "
            "propose a new one if needed. The collection ladder resumes.",
            "submit": f"Yes, cancel arrangement {arrangement.reference}",
            "cancel": "No, keep it",
            "back_url": back_url,
        },
    )
