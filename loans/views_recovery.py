"""Back-office screens for a loan past collection: its Recovery page (a
neighbour of the loan's page) with the write-off, recoveries, City Attorney
referrals and judgments, agency placements and State guarantee claims, and
one small action view per step. Buttons come from the same predicates the
services ask; a refusal is the service's message on the form; proposing and
approving a write-off go through a confirmation page showing its amounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from loans import forms_recovery as f
from loans.documents.guarantee_claim import guarantee_claim_pdf
from loans.models import (
    AgencyPlacement,
    GuaranteeClaim,
    Judgment,
    Loan,
    Payment,
    WriteOff,
)
from loans.models.recovery import (
    can_place_with_agency,
    can_post_recovery,
    can_prepare_claim,
    can_propose_write_off,
    can_record_judgment,
    can_refer_to_attorney,
)
from loans.services import claims, legal, writeoffs
from loans.views import _day, _loan_facts, _page, _posted, _require, add_service_errors
from portal.money import format_money
from portal.transitions import Verdict

CLAIM_ACTIONS = {
    "submit": "Record submission",
    "record_payment": "Record the State's payment",
    "deny": "Record denial",
}


def _loan(pk: int) -> Loan:
    return get_object_or_404(
        Loan.objects.select_related("customer", "product", "application"), pk=pk
    )


def _back(loan_id: int) -> str:
    return reverse("loan_recovery", args=[loan_id])


def loan_recovery(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    user = request.user
    write_offs = list(loan.write_offs.select_related("proposed_by", "approved_by"))
    recoveries = list(loan.recoveries.select_related("payment"))
    claims_list = list(loan.guarantee_claims.all())
    context = {
        "loan": loan,
        "position": writeoffs.recovery_position(loan),
        "write_offs": [
            {
                "write_off": w,
                "approve_url": reverse("loan_write_off_approve", args=[w.pk])
                if w.can_approve(user)
                else None,
                "reject_url": reverse("loan_write_off_reject", args=[w.pk])
                if w.can_reject(user)
                else None,
            }
            for w in write_offs
        ],
        "propose_url": reverse("loan_write_off_propose", args=[loan.pk])
        if can_propose_write_off(loan, user)
        else None,
        "recoveries": [
            {
                "recovery": r,
                "reverse_url": reverse("loan_recovery_reverse", args=[r.payment_id])
                if r.payment.can_reverse(user)
                else None,
            }
            for r in recoveries
        ],
        "recovery_url": reverse("loan_recovery_post", args=[loan.pk])
        if can_post_recovery(loan, user)
        else None,
        "referrals": list(loan.attorney_referrals.select_related("by")),
        "referral_url": reverse("loan_attorney_referral", args=[loan.pk])
        if can_refer_to_attorney(loan, user)
        else None,
        "judgments": [
            {
                "judgment": j,
                "satisfy_url": reverse("loan_judgment_satisfy", args=[j.pk])
                if j.can_satisfy(user)
                else None,
            }
            for j in loan.judgments.all()
        ],
        "judgment_url": reverse("loan_judgment", args=[loan.pk])
        if can_record_judgment(loan, user)
        else None,
        "placements": [
            {
                "placement": p,
                "recall_url": reverse("loan_placement_recall", args=[p.pk])
                if p.can_recall(user)
                else None,
            }
            for p in loan.agency_placements.all()
        ],
        "placement_url": reverse("loan_agency_placement", args=[loan.pk])
        if can_place_with_agency(loan, user)
        else None,
        "claims": [
            {
                "claim": c,
                "pdf_url": reverse("loan_claim_pdf", args=[c.pk]),
                "actions": [
                    {
                        "label": label,
                        "url": reverse("loan_claim_action", args=[c.pk, action]),
                    }
                    for action, label in CLAIM_ACTIONS.items()
                    if getattr(c, f"can_{action}")(user)
                ],
            }
            for c in claims_list
        ],
        "claim_url": reverse("loan_claim_prepare", args=[loan.pk])
        if can_prepare_claim(loan, user)
        else None,
    }
    title = f"Loan {loan.number}: default, legal action, write-off and claims"
    return render(
        request,
        "loans/admin/loan_recovery.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            **context,
        },
    )


def _then(done: object, message: str) -> str:
    """The success message of a step whose service returned `done`."""
    return message


def _act(
    request: Any,
    *,
    loan_id: int,
    verdict: Verdict,
    form: forms.Form,
    call: Callable[[dict[str, Any]], str],
    title: str,
    facts: list[tuple[str, Any]],
    submit: str,
    rename: dict[str, str] | None = None,
) -> Any:
    """The shape of every step: refuse with the predicate's reason, else on a
    valid POST call the service; its refusal lands on the form."""
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(_back(loan_id))
    if request.method == "POST" and form.is_valid():
        try:
            done = call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, rename)
        else:
            messages.success(request, done)
            return redirect(_back(loan_id))
    return _page(
        request,
        "action_form.html",
        title,
        form=form,
        facts=facts,
        submit=submit,
        back_url=_back(loan_id),
    )


# --- write-off ---


def write_off_propose(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    verdict = can_propose_write_off(loan, request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(_back(loan.pk))
    form = f.WriteOffProposeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["confirmed"]:
            try:
                proposal = writeoffs.write_off_propose(
                    actor=request.user,
                    loan=loan,
                    as_of=data["as_of"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Write-off of {format_money(proposal.total)} on loan "
                    f"{loan.number} proposed; a supervisor approves it.",
                )
                return redirect(_back(loan.pk))
        else:
            parts = writeoffs.write_off_balance(loan, data["as_of"])
            return _page(
                request,
                "recovery_confirm.html",
                f"Propose writing off loan {loan.number}?",
                icon="warning",
                form=form,
                facts=[
                    *_loan_facts(loan),
                    ("Write-off date", _day(data["as_of"])),
                    ("Principal", format_money(parts.principal)),
                    ("Interest", format_money(parts.interest)),
                    ("Fees", format_money(parts.fees)),
                    ("Total written off", format_money(parts.total)),
                    ("Why", data["reason"]),
                ],
                warning="Once approved by a supervisor, the whole balance comes "
                "off the books and the loan takes no more payments; money "
                "received later is posted as a recovery.",
                submit="Yes, propose this write-off",
                cancel="No, go back",
                back_url=_back(loan.pk),
            )
    return _page(
        request,
        "action_form.html",
        f"Propose a write-off of loan {loan.number}",
        form=form,
        facts=_loan_facts(loan),
        submit="Show the amounts",
        back_url=_back(loan.pk),
    )


def _write_off_facts(w: WriteOff) -> list[tuple[str, Any]]:
    return [
        ("Loan", f"{w.loan.number} — {w.loan.customer}"),
        ("Write-off date", _day(w.as_of)),
        ("Principal", format_money(w.principal)),
        ("Interest", format_money(w.interest)),
        ("Fees", format_money(w.fees)),
        ("Total", format_money(w.total)),
        ("Why", w.reason),
        ("Proposed by", w.proposed_by.get_full_name() or w.proposed_by.get_username()),
    ]


def _write_off(pk: int) -> WriteOff:
    return get_object_or_404(
        WriteOff.objects.select_related("loan", "loan__customer", "proposed_by"), pk=pk
    )


def write_off_approve(request: Any, pk: int) -> Any:
    _require(request, "loans.view_writeoff")
    w = _write_off(pk)
    verdict = w.can_approve(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(_back(w.loan_id))
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            writeoffs.write_off_approve(actor=request.user, write_off=w)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Loan {w.loan.number} written off: {format_money(w.total)} as of "
                f"{_day(w.as_of)}.",
            )
            return redirect(_back(w.loan_id))
    return _page(
        request,
        "confirm.html",
        f"Approve the write-off of loan {w.loan.number}?",
        icon="warning",
        form=form,
        facts=_write_off_facts(w),
        warning="The whole balance is posted off the books and the loan becomes "
        "written off. This can't be undone.",
        submit=f"Yes, write off {format_money(w.total)}",
        cancel="No, not now",
        back_url=_back(w.loan_id),
    )


def write_off_reject(request: Any, pk: int) -> Any:
    _require(request, "loans.view_writeoff")
    w = _write_off(pk)
    return _act(
        request,
        loan_id=w.loan_id,
        verdict=w.can_reject(request.user),
        form=f.ReasonForm(_posted(request)),
        call=lambda d: _then(
            writeoffs.write_off_reject(
                actor=request.user, write_off=w, reason=d["reason"]
            ),
            f"Write-off of loan {w.loan.number} rejected.",
        ),
        title=f"Reject the write-off of loan {w.loan.number}",
        facts=_write_off_facts(w),
        submit="Reject",
    )


# --- recoveries ---


def recovery_post(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    position = writeoffs.recovery_position(loan)

    def call(d: dict[str, Any]) -> str:
        r = writeoffs.recovery_post(
            actor=request.user,
            loan=loan,
            amount=d["amount"],
            received_on=d["received_on"],
            method=d["method"],
            reference=d["reference"],
            source=d["source"],
            note=d["note"],
        )
        return (
            f"Recovery {r.payment.reference} of {format_money(r.payment.amount)} "
            f"posted on loan {loan.number}."
        )

    return _act(
        request,
        loan_id=loan.pk,
        verdict=can_post_recovery(loan, request.user),
        form=f.RecoveryForm(_posted(request)),
        call=call,
        title=f"Post a recovery on loan {loan.number}",
        facts=[
            *_loan_facts(loan),
            ("Written off", format_money(position.written_off)),
            ("Recovered so far", format_money(position.recovered)),
            ("Left to recover", format_money(position.recoverable)),
        ],
        submit="Post the recovery",
    )


def recovery_reverse(request: Any, pk: int) -> Any:
    _require(request, "loans.view_payment")
    payment = get_object_or_404(
        Payment.objects.select_related("loan", "loan__customer"),
        pk=pk,
        recovery__isnull=False,
    )
    verdict = payment.can_reverse(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(_back(payment.loan_id))
    form = f.RecoveryReversalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            writeoffs.recovery_reverse(
                actor=request.user,
                payment=payment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Recovery {payment.reference} of {format_money(payment.amount)} "
                "reversed.",
            )
            return redirect(_back(payment.loan_id))
    return _page(
        request,
        "confirm.html",
        f"Reverse recovery {payment.reference}?",
        form=form,
        facts=[
            ("Loan", f"{payment.loan.number} — {payment.loan.customer}"),
            ("Amount", format_money(payment.amount)),
            ("Received on", _day(payment.received_on)),
        ],
        warning="The recovery comes off the loan's recoveries and can't be put "
        "back; post it again if it was good.",
        submit=f"Yes, reverse recovery {payment.reference}",
        cancel="No, keep it",
        back_url=_back(payment.loan_id),
    )


# --- City Attorney, judgments, agencies ---


def attorney_referral(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    return _act(
        request,
        loan_id=loan.pk,
        verdict=can_refer_to_attorney(loan, request.user),
        form=f.ReferralForm(_posted(request)),
        call=lambda d: _then(
            legal.attorney_referral_record(actor=request.user, loan=loan, **d),
            f"Loan {loan.number} referred to {d['attorney']}.",
        ),
        title=f"Refer loan {loan.number} to the City Attorney",
        facts=_loan_facts(loan),
        submit="Record the referral",
    )


def judgment(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    return _act(
        request,
        loan_id=loan.pk,
        verdict=can_record_judgment(loan, request.user),
        form=f.JudgmentForm(_posted(request)),
        call=lambda d: _then(
            legal.judgment_record(actor=request.user, loan=loan, **d),
            f"Judgment {d['case_number']} for {format_money(d['amount'])} "
            f"recorded on loan {loan.number}.",
        ),
        title=f"Record a judgment on loan {loan.number}",
        facts=_loan_facts(loan),
        submit="Record the judgment",
    )


def judgment_satisfy(request: Any, pk: int) -> Any:
    _require(request, "loans.view_judgment")
    j = get_object_or_404(Judgment.objects.select_related("loan"), pk=pk)
    return _act(
        request,
        loan_id=j.loan_id,
        verdict=j.can_satisfy(request.user),
        form=f.SatisfactionForm(_posted(request)),
        call=lambda d: _then(
            legal.judgment_satisfy(actor=request.user, judgment=j, **d),
            f"Judgment {j.case_number} satisfied.",
        ),
        title=f"Record satisfaction of judgment {j.case_number}",
        facts=[
            ("Loan", j.loan.number),
            ("Court", j.court),
            ("Judgment amount", format_money(j.amount)),
            ("Judgment date", _day(j.judgment_on)),
        ],
        submit="Record the satisfaction",
    )


def agency_placement(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    return _act(
        request,
        loan_id=loan.pk,
        verdict=can_place_with_agency(loan, request.user),
        form=f.PlacementForm(_posted(request)),
        call=lambda d: (
            f"Loan {loan.number} placed with {d['agency']} for "
            + format_money(
                legal.agency_placement_record(
                    actor=request.user, loan=loan, **d
                ).balance_placed
            )
            + "."
        ),
        title=f"Place loan {loan.number} with a collection agency",
        facts=_loan_facts(loan),
        submit="Record the placement",
    )


def placement_recall(request: Any, pk: int) -> Any:
    _require(request, "loans.view_agencyplacement")
    p = get_object_or_404(AgencyPlacement.objects.select_related("loan"), pk=pk)
    return _act(
        request,
        loan_id=p.loan_id,
        verdict=p.can_recall(request.user),
        form=f.RecallForm(_posted(request)),
        call=lambda d: _then(
            legal.agency_placement_recall(actor=request.user, placement=p, **d),
            f"Loan {p.loan.number} recalled from {p.agency}.",
        ),
        title=f"Recall loan {p.loan.number} from {p.agency}",
        facts=[
            ("Agency", p.agency),
            ("Placed on", _day(p.placed_on)),
            ("Balance placed", format_money(p.balance_placed)),
        ],
        submit="Record the recall",
    )


# --- State guarantee claims ---


def claim_prepare(request: Any, pk: int) -> Any:
    _require(request, "loans.view_loan")
    loan = _loan(pk)
    return _act(
        request,
        loan_id=loan.pk,
        verdict=can_prepare_claim(loan, request.user),
        form=f.ClaimPrepareForm(_posted(request)),
        call=lambda d: (
            "State guarantee claim for "
            + format_money(
                claims.guarantee_claim_prepare(
                    actor=request.user, loan=loan, **d
                ).principal_claimed
            )
            + f" prepared on loan {loan.number}."
        ),
        title=f"Prepare a State guarantee claim on loan {loan.number}",
        facts=_loan_facts(loan),
        submit="Prepare the claim",
    )


def claim_action(request: Any, pk: int, action: str) -> Any:
    _require(request, "loans.view_guaranteeclaim")
    claim = get_object_or_404(
        GuaranteeClaim.objects.select_related("loan", "loan__customer"), pk=pk
    )
    facts = [
        ("Loan", f"{claim.loan.number} — {claim.loan.customer}"),
        ("Principal claimed", format_money(claim.principal_claimed)),
        ("Status", claim.get_status_display()),
    ]
    user = request.user
    data = _posted(request)
    if action == "submit":
        return _act(
            request,
            loan_id=claim.loan_id,
            verdict=claim.can_submit(user),
            form=f.ClaimSubmitForm(data),
            call=lambda d: _then(
                claims.guarantee_claim_submit(actor=user, claim=claim, **d),
                "Claim submitted to the State.",
            ),
            title=f"Submit the claim on loan {claim.loan.number}",
            facts=facts,
            submit="Record submission",
        )
    if action == "record_payment":
        return _act(
            request,
            loan_id=claim.loan_id,
            verdict=claim.can_record_payment(user),
            form=f.ClaimPaymentForm(data),
            call=lambda d: _then(
                claims.guarantee_claim_record_payment(actor=user, claim=claim, **d),
                f"The State's payment of {format_money(d['amount'])} was posted "
                f"to loan {claim.loan.number} as a recovery.",
            ),
            title=f"Record the State's payment on loan {claim.loan.number}",
            facts=facts,
            submit="Post the State's payment",
        )
    if action == "deny":
        return _act(
            request,
            loan_id=claim.loan_id,
            verdict=claim.can_deny(user),
            form=f.ClaimDenyForm(data),
            call=lambda d: _then(
                claims.guarantee_claim_deny(actor=user, claim=claim, **d),
                "Claim recorded as denied.",
            ),
            title=f"Record the State's denial on loan {claim.loan.number}",
            facts=facts,
            submit="Record denial",
        )
    messages.error(request, "That is not a step of a claim.")
    return redirect(_back(claim.loan_id))


def claim_pdf(request: Any, pk: int) -> Any:
    _require(request, "loans.view_guaranteeclaim")
    claim = get_object_or_404(
        GuaranteeClaim.objects.select_related("loan", "loan__customer", "prepared_by"),
        pk=pk,
    )
    response = HttpResponse(
        guarantee_claim_pdf(claim=claim), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="guarantee-claim-{claim.loan.number}.pdf"'
    )
    return response


def recovery_queue(request: Any) -> Any:
    """Loans menu › Write-offs and claims: what waits on someone."""
    _require(request, "loans.view_writeoff")
    from loans import selectors_recovery

    title = "Write-offs and State guarantee claims"
    return render(
        request,
        "loans/admin/recovery_queue.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            "write_offs": list(selectors_recovery.write_offs_awaiting_approval()),
            "claims": list(selectors_recovery.open_guarantee_claims()),
        },
    )
