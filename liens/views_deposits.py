"""Deposits back office actions: the entry form for a new instrument, one
form per lifecycle step of an instrument, one per step of a claim. Buttons
come from the same predicates the services ask; a refusal is the service's
message on its field. Each irreversible step's form says so above its
button (the form page is the confirmation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from liens import forms_deposits as f
from liens.models import DepositClaim, DepositInstrument
from liens.services import claims as claim_services
from liens.services import deposits as services
from portal.choices import AccountStatus, DocumentType
from portal.money import format_money
from portal.services import document_upload
from portal.transitions import open_actions
from portal.viewsets import history_url

VIEW = "liens.view_depositinstrument"
VIEW_CLAIM = "liens.view_depositclaim"


@dataclass(frozen=True)
class Step:
    label: str
    form: Callable[..., forms.Form]
    run: Callable[..., Any]
    warning: str = ""
    # What the confirmation page states before an irreversible step.
    facts: Callable[[Any, dict[str, Any]], list[str]] | None = None


def _refund_facts(instrument: DepositInstrument, data: dict[str, Any]) -> list[str]:
    principal = services.refundable(instrument)
    interest = services.refund_interest(instrument, data["refunded_on"])
    return [
        f"Refund {format_money(principal)} with {format_money(interest)} interest: "
        f"{format_money(principal + interest)} in all."
    ]


def _redeem_facts(instrument: DepositInstrument, data: dict[str, Any]) -> list[str]:
    net = data["proceeds"] - data["early_redemption_penalty"]
    return [
        f"Proceeds {format_money(data['proceeds'])} less a penalty of "
        f"{format_money(data['early_redemption_penalty'])}: {format_money(net)} net."
    ]


def _accounts(
    instrument: DepositInstrument, *, final_billed: bool = False
) -> list[tuple[str, str]]:
    rows = instrument.allocations.select_related("account", "account__customer")
    if final_billed:
        rows = rows.filter(account__status=AccountStatus.FINAL_BILLED)
    return [
        (
            a.account.number,
            f"{a.account.number} — {a.account.customer} ({format_money(a.amount.amount)})",
        )
        for a in rows
    ]


INSTRUMENT_STEPS: dict[str, Step] = {
    "allocate": Step(
        "Allocate to another account",
        lambda i, data: f.AllocateForm(data),
        lambda actor, i, d: services.deposit_allocate(
            actor=actor, instrument=i, account=d["account"], amount=d["amount"]
        ),
    ),
    "renew": Step(
        "Renew",
        lambda i, data: f.RenewForm(data),
        lambda actor, i, d: services.deposit_renew(
            actor=actor, instrument=i, new_expires_on=d["new_expires_on"]
        ),
    ),
    "release": Step(
        "Release (return the instrument)",
        lambda i, data: f.ReleaseForm(
            data, initial={"released_on": timezone.localdate()}
        ),
        lambda actor, i, d: services.deposit_release(
            actor=actor, instrument=i, released_on=d["released_on"]
        ),
        "Releasing returns the instrument; it no longer secures any account. This can't be undone.",
    ),
    "refund": Step(
        "Refund",
        lambda i, data: f.RefundForm(
            data, initial={"refunded_on": timezone.localdate()}
        ),
        lambda actor, i, d: services.deposit_refund(
            actor=actor, instrument=i, refunded_on=d["refunded_on"]
        ),
        "The cash is refunded with the interest the ordinance requires. This can't be undone.",
        _refund_facts,
    ),
    "apply_to_final_bill": Step(
        "Apply to a final bill",
        lambda i, data: f.ApplyForm(data, accounts=_accounts(i, final_billed=True)),
        lambda actor, i, d: services.deposit_apply_to_final_bill(
            actor=actor,
            instrument=i,
            account=d["account"],
            amount=d["amount"],
            applied_on=d["applied_on"],
        ),
        "The amount comes off the account's allocation for good.",
    ),
    "redeem": Step(
        "Redeem",
        lambda i, data: f.RedeemForm(data),
        lambda actor, i, d: services.deposit_redeem(
            actor=actor,
            instrument=i,
            redeemed_on=d["redeemed_on"],
            proceeds=d["proceeds"],
            early_redemption_penalty=d["early_redemption_penalty"],
        ),
        "Redeeming cashes the instrument in; the net is posted. This can't be undone.",
        _redeem_facts,
    ),
    "file_claim": Step(
        "File a claim",
        lambda i, data: f.FileClaimForm(data, accounts=_accounts(i)),
        lambda actor, i, d: claim_services.claim_file(
            actor=actor,
            instrument=i,
            account=d["account"],
            amount_claimed=d["amount_claimed"],
            filed_on=d["filed_on"],
        ),
    ),
}

CLAIM_STEPS: dict[str, Step] = {
    "add_correspondence": Step(
        "Record correspondence",
        lambda c, data: f.CorrespondenceForm(data),
        lambda actor, c, d: claim_services.claim_add_correspondence(
            actor=actor,
            claim=c,
            on=d["on"],
            direction=d["direction"],
            summary=d["summary"],
        ),
    ),
    "negotiate": Step(
        "Open negotiation",
        lambda c, data: f.StepDateForm(data),
        lambda actor, c, d: claim_services.claim_negotiate(
            actor=actor, claim=c, on=d["on"]
        ),
    ),
    "settle": Step(
        "Record settlement",
        lambda c, data: f.SettleForm(data),
        lambda actor, c, d: claim_services.claim_settle(
            actor=actor, claim=c, settlement_amount=d["settlement_amount"], on=d["on"]
        ),
    ),
    "record_recovery": Step(
        "Record recovery",
        lambda c, data: f.RecoveryForm(data),
        lambda actor, c, d: claim_services.claim_record_recovery(
            actor=actor, claim=c, amount=d["amount"], on=d["on"]
        ),
    ),
    "close": Step(
        "Close",
        lambda c, data: f.StepDateForm(data),
        lambda actor, c, d: claim_services.claim_close(
            actor=actor, claim=c, on=d["on"]
        ),
        "A closed claim takes no more steps.",
    ),
    "deny": Step(
        "Record denial",
        lambda c, data: f.DenyForm(data),
        lambda actor, c, d: claim_services.claim_deny(
            actor=actor, claim=c, reason=d["reason"], on=d["on"]
        ),
        "A denied claim takes no more steps.",
    ),
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _buttons(
    obj: Any, user: Any, steps: dict[str, Step], url_name: str
) -> list[tuple[str, str]]:
    return [
        (reverse(url_name, args=[obj.pk, action]), steps[action].label)
        for action in open_actions(obj, user, list(steps))
    ]


def instrument_page_context(instrument: DepositInstrument, user: Any) -> dict[str, Any]:
    return {
        "instrument": instrument,
        "allocations": list(
            instrument.allocations.select_related("account", "account__customer")
        ),
        "allocated": services.allocated_total(instrument),
        "documents": list(instrument.documents.all()),
        "applications": list(instrument.applications.select_related("account")),
        "redemption": getattr(instrument, "redemption", None),
        "claims": list(instrument.claims.select_related("account")),
        "actions": _buttons(
            instrument, user, INSTRUMENT_STEPS, "deposit_instrument_action"
        ),
        "history_url": history_url(instrument),
    }


def claim_page_context(claim: DepositClaim, user: Any) -> dict[str, Any]:
    return {
        "claim": claim,
        "correspondence": list(claim.correspondence.select_related("document")),
        "actions": _buttons(claim, user, CLAIM_STEPS, "deposit_claim_action"),
        "history_url": history_url(claim),
    }


def _step_page(
    request: Any, obj: Any, steps: dict[str, Step], action: str, back: str, perm: str
) -> Any:
    _require(request, perm)
    step = steps.get(action)
    if step is None:
        raise Http404("No such step.")
    verdict = getattr(obj, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(back)
    form = step.form(obj, request.POST if request.method == "POST" else None)
    confirming = False
    facts: list[str] = []
    if request.method == "POST" and form.is_valid():
        if step.warning and not request.POST.get("confirmed"):
            # An irreversible step: show what will happen, ask once more.
            confirming = True
            facts = step.facts(obj, form.cleaned_data) if step.facts else []
        else:
            return _run_step(request, step, obj, form, back)
    title = f"{step.label}: {obj}"
    return render(
        request,
        "liens/deposits/action_form.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "lock",
            "form": form,
            "warning": step.warning if confirming else "",
            "facts": facts,
            "confirming": confirming,
            "submit": f"Yes, {step.label.lower()}" if confirming else step.label,
            "back_url": back,
            "record": obj,
        },
    )


def _run_step(request: Any, step: Step, obj: Any, form: forms.Form, back: str) -> Any:
    try:
        step.run(request.user, obj, form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        messages.success(request, f"{step.label}: done for {obj}.")
        return redirect(back)
    title = f"{step.label}: {obj}"
    return render(
        request,
        "liens/deposits/action_form.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "lock",
            "form": form,
            "warning": "",
            "submit": step.label,
            "back_url": back,
            "record": obj,
        },
    )


def instrument_action(request: Any, pk: int, action: str) -> Any:
    instrument = get_object_or_404(DepositInstrument, pk=pk)
    back = reverse("deposit_instruments:inspect", args=[pk])
    return _step_page(request, instrument, INSTRUMENT_STEPS, action, back, VIEW)


def claim_action(request: Any, pk: int, action: str) -> Any:
    claim = get_object_or_404(DepositClaim, pk=pk)
    back = reverse("deposit_claims:inspect", args=[pk])
    return _step_page(request, claim, CLAIM_STEPS, action, back, VIEW_CLAIM)


def instrument_new(request: Any) -> Any:
    """A new instrument with the accounts it secures (a formset of rows)."""
    _require(request, "liens.manage_deposit")
    data = request.POST if request.method == "POST" else None
    form = f.InstrumentForm(data, request.FILES or None)
    rows = f.AllocationFormSet(data, prefix="allocations")
    if data is not None and form.is_valid() and rows.is_valid():
        allocations = [
            (row["account"], row["amount"])
            for row in rows.cleaned_data
            if row.get("account") and row.get("amount") is not None
        ]
        d = form.cleaned_data
        try:
            with transaction.atomic():
                documents = []
                if d.get("document"):
                    try:
                        documents.append(
                            document_upload(
                                actor=request.user,
                                upload=d["document"],
                                document_type=DocumentType.OTHER,
                                description="Deposit instrument",
                            )
                        )
                    except ValidationError as refused:
                        raise ValidationError({"document": refused.messages}) from None
                instrument = services.deposit_create(
                    actor=request.user,
                    instrument_type=d["instrument_type"],
                    issuer=d["issuer"],
                    instrument_number=d["instrument_number"],
                    face_amount=d["face_amount"],
                    effective_on=d["effective_on"],
                    expires_on=d["expires_on"],
                    allocations=allocations,
                    documents=documents,
                )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"__all__": error.messages})
            for name, errors in error.message_dict.items():
                parts = name.split(".")
                if (
                    len(parts) == 3
                    and parts[1].isdigit()
                    and int(parts[1]) < len(rows.forms)
                ):
                    rows.forms[int(parts[1])].add_error(parts[2], errors)
                else:
                    form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"{instrument} recorded.")
            return redirect("deposit_instruments:inspect", instrument.pk)
    title = "New deposit instrument"
    return render(
        request,
        "liens/deposits/instrument_new.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "lock",
            "form": form,
            "rows": rows,
            "back_url": reverse("deposit_instruments:index"),
        },
    )
