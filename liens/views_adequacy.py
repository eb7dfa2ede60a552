"""Back-office screens of deposit adequacy reviews and deposit decisions:
run a review, the list of reviews, a review's page (under-secured accounts
first, the expiring instruments, the follow-ups with their buttons), its
XLSX download, the policy, and the deposit decisions with their approve and
reject steps. Buttons come from the models' predicates; every change goes
through liens.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from liens import forms_adequacy as f
from liens.models.adequacy import (
    AdequacyPolicy,
    AdequacyReview,
    AdequacyStatus,
    DepositFollowUp,
    FollowUpStatus,
)
from liens.models.decisions import DepositDecision
from liens.services import adequacy as adequacy_services
from liens.services import decisions as decision_services
from portal.models import UtilityAccount
from portal.money import format_money
from portal.transitions import open_actions
from portal.xlsx import Column, Sheet, workbook_xlsx

TEMPLATES = "liens/adequacy/"


def _require(request: Any, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _posted(request: Any) -> Any:
    # An empty POST (a confirmation with no fields) is still a submission.
    return request.POST if request.method == "POST" else None


def _page(request: Any, template: str, title: str, **context: Any) -> Any:
    return render(
        request,
        TEMPLATES + template,
        {"page_title": title, "header_title": title, "header_icon": "lock", **context},
    )


def _day(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day:%Y}" if day else ""


def _add_errors(form: Any, error: ValidationError, rename: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = rename.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------


def review_list(request: Any) -> Any:
    _require(request, "liens.view_adequacyreview")
    reviews = AdequacyReview.objects.select_related("started_by")[:200]
    return _page(
        request,
        "review_list.html",
        "Deposit adequacy reviews",
        reviews=[
            {
                "review": r,
                "as_of": _day(r.as_of),
                "shortfall": format_money(r.total_shortfall.amount),
                "excess": format_money(r.total_excess.amount),
            }
            for r in reviews
        ],
        can_run=request.user.has_perm("liens.review_adequacy"),
        can_edit_policy=request.user.has_perm("liens.change_adequacypolicy"),
    )


def review_run(request: Any) -> Any:
    _require(request, "liens.review_adequacy")
    form = f.ReviewRunForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = adequacy_services.adequacy_review_run(
                actor=request.user,
                as_of=form.cleaned_data["as_of"],
                customer_class=form.cleaned_data["customer_class"],
            )
        except ValidationError as error:
            _add_errors(form, error, {})
        else:
            messages.success(request, f"{review} recorded.")
            return redirect("liens_adequacy_review", pk=review.pk)
    return _page(
        request,
        "form.html",
        "Run a deposit adequacy review",
        form=form,
        submit="Run the review",
        back_url=reverse("liens_adequacy_reviews"),
    )


def _rows(review: AdequacyReview) -> list[dict[str, Any]]:
    order = Case(
        When(status=AdequacyStatus.UNDER, then=Value(0)),
        When(status=AdequacyStatus.OVER, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows = (
        review.rows.select_related("account", "account__customer")
        .annotate(rank=order)
        .order_by("rank", "difference", "account__number")
    )
    return [
        {
            "account": row.account.number,
            "customer": str(row.account.customer),
            "months": row.bill_months,
            "average_bill": format_money(row.average_bill.amount),
            "required": format_money(row.required.amount),
            "held": format_money(row.held.amount),
            "difference": adequacy_services.describe_difference(row.difference.amount),
            "status": row.get_status_display(),
            "under": row.status == AdequacyStatus.UNDER,
        }
        for row in rows
    ]


def review_page(request: Any, pk: int) -> Any:
    _require(request, "liens.view_adequacyreview")
    review = get_object_or_404(AdequacyReview, pk=pk)
    follow_ups = review.follow_ups.select_related(
        "account", "instrument", "closed_by"
    ).order_by("status", "kind", "pk")
    return _page(
        request,
        "review.html",
        f"{review} — {review.get_customer_class_display()} as of {_day(review.as_of)}",
        review=review,
        as_of=_day(review.as_of),
        totals={
            "required": format_money(review.total_required.amount),
            "held": format_money(review.total_held.amount),
            "shortfall": format_money(review.total_shortfall.amount),
            "excess": format_money(review.total_excess.amount),
        },
        rows=_rows(review),
        expiring=[
            {"instrument": str(e.instrument), "expires_on": _day(e.expires_on)}
            for e in review.expiring.select_related("instrument")
        ],
        follow_ups=[
            {
                "follow_up": fu,
                "amount": format_money(fu.amount.amount) if fu.amount else "",
                "closed_on": _day(fu.closed_at.date()) if fu.closed_at else "",
                "actions": open_actions(fu, request.user, ["done", "dismiss"]),
            }
            for fu in follow_ups
        ],
    )


def review_xlsx(request: Any, pk: int) -> Any:
    _require(request, "liens.view_adequacyreview")
    review = get_object_or_404(AdequacyReview, pk=pk)
    rows = review.rows.select_related("account", "account__customer").order_by(
        "account__number"
    )
    content = workbook_xlsx(
        report="Deposit adequacy review",
        parameters=[
            ("Review", review.reference),
            ("Review date", review.as_of),
            ("Accounts", review.get_customer_class_display()),
            ("Multiple", review.multiple.normalize()),
        ],
        generated_by=request.user,
        sheets=[
            Sheet(
                name="Accounts",
                columns=[
                    Column("Account"),
                    Column("Customer", width=28),
                    Column("Bill months", "integer"),
                    Column("Average bill", "money"),
                    Column("Required", "money", total=True),
                    Column("Held", "money", total=True),
                    Column("Difference", "money", total=True),
                    Column("Status", width=20),
                ],
                rows=(
                    [
                        r.account.number,
                        str(r.account.customer),
                        r.bill_months,
                        r.average_bill,
                        r.required,
                        r.held,
                        r.difference,
                        r.get_status_display(),
                    ]
                    for r in rows
                ),
            ),
            Sheet(
                name="Expiring",
                columns=[Column("Instrument", width=36), Column("Expires on", "date")],
                rows=(
                    [str(e.instrument), e.expires_on]
                    for e in review.expiring.select_related("instrument")
                ),
            ),
        ],
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="adequacy-review-{review.reference}.xlsx"'
    )
    return response


def follow_up_close(request: Any, pk: int, action: str) -> Any:
    follow_up = get_object_or_404(DepositFollowUp, pk=pk)
    back = reverse("liens_adequacy_review", args=[follow_up.review_id])
    if action not in ("done", "dismiss"):
        raise PermissionDenied
    verdict = getattr(follow_up, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(back)
    form = f.FollowUpCloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            adequacy_services.deposit_follow_up_close(
                actor=request.user,
                follow_up=follow_up,
                action=action,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error, {})
        else:
            messages.success(request, f"{follow_up}: {action_word(action)}.")
            return redirect(back)
    return _page(
        request,
        "form.html",
        f"{follow_up}",
        form=form,
        submit="Mark done" if action == "done" else "Dismiss",
        back_url=back,
    )


def follow_up_list(request: Any) -> Any:
    """Every open follow-up, whichever review opened it (a re-run does not
    open a second one, so this is the work list)."""
    _require(request, "liens.view_depositfollowup")
    open_now = DepositFollowUp.objects.filter(status=FollowUpStatus.OPEN)
    follow_ups = open_now.select_related("account", "instrument", "review").order_by(
        "kind", "pk"
    )[:500]
    return _page(
        request,
        "follow_up_list.html",
        "Open deposit follow-ups",
        follow_ups=[
            {
                "follow_up": fu,
                "amount": format_money(fu.amount.amount) if fu.amount else "",
                "opened_on": _day(fu.created_at.date()),
                "actions": open_actions(fu, request.user, ["done", "dismiss"]),
            }
            for fu in follow_ups
        ],
    )


def action_word(action: str) -> str:
    return "done" if action == "done" else "dismissed"


def policy_edit(request: Any) -> Any:
    _require(request, "liens.change_adequacypolicy")
    policy = AdequacyPolicy.current()
    form = f.PolicyForm(_posted(request), instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            adequacy_services.adequacy_policy_update(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error, {})
        else:
            messages.success(request, "Deposit adequacy policy saved.")
            return redirect("liens_adequacy_reviews")
    return _page(
        request,
        "form.html",
        "Deposit adequacy policy",
        form=form,
        submit="Save the policy",
        back_url=reverse("liens_adequacy_reviews"),
    )


# --------------------------------------------------------------------------
# Deposit decisions (new service with old debt)
# --------------------------------------------------------------------------


def decision_list(request: Any) -> Any:
    _require(request, "liens.view_depositdecision")
    decisions = DepositDecision.objects.select_related(
        "account", "customer", "prepared_by", "decided_by"
    )[:200]
    return _page(
        request,
        "decision_list.html",
        "Deposit decisions",
        decisions=[
            {
                "decision": d,
                "owed": format_money(d.delinquent_amount.amount),
                "required": format_money(d.deposit_required.amount),
                "prepared_on": _day(d.prepared_at.date()),
            }
            for d in decisions
        ],
        can_propose=request.user.has_perm("liens.propose_deposit_decision"),
    )


def decision_propose(request: Any) -> Any:
    _require(request, "liens.propose_deposit_decision")
    form = f.DecisionProposeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = UtilityAccount.objects.filter(number=data["account"].strip()).first()
        if account is None:
            form.add_error("account", "No account has that number.")
        else:
            try:
                decision = decision_services.deposit_decision_propose(
                    actor=request.user,
                    account=account,
                    deposit_required=data["deposit_required"],
                    instrument_type=data["instrument_type"],
                    note=data["note"],
                )
            except ValidationError as error:
                _add_errors(form, error, {})
            else:
                messages.success(request, f"{decision} sent for approval.")
                return redirect("liens_deposit_decision", pk=decision.pk)
    return _page(
        request,
        "form.html",
        "Propose a deposit for new service with old debt",
        form=form,
        submit="Propose",
        back_url=reverse("liens_deposit_decisions"),
    )


def _decision_facts(decision: DepositDecision) -> list[tuple[str, str]]:
    facts = [
        ("Account", decision.account.number),
        ("Customer", str(decision.customer)),
        ("Delinquent bill owed", format_money(decision.delinquent_amount.amount)),
        ("Deposit required", format_money(decision.deposit_required.amount)),
        ("Instrument required", decision.get_instrument_type_display()),
        ("Status", decision.get_status_display()),
        ("Prepared by", _person(decision.prepared_by)),
        ("Prepared on", _day(decision.prepared_at.date())),
    ]
    if decision.decided_by_id:
        facts.append(("Decided by", _person(decision.decided_by)))
    if decision.decided_at:
        facts.append(("Decided on", _day(decision.decided_at.date())))
    if decision.rejection_reason:
        facts.append(("Reason for rejecting", decision.rejection_reason))
    if decision.note:
        facts.append(("Note", decision.note))
    return facts


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def decision_page(request: Any, pk: int) -> Any:
    _require(request, "liens.view_depositdecision")
    decision = get_object_or_404(
        DepositDecision.objects.select_related(
            "account", "customer", "prepared_by", "decided_by"
        ),
        pk=pk,
    )
    return _page(
        request,
        "decision.html",
        str(decision),
        decision=decision,
        facts=_decision_facts(decision),
        actions=open_actions(decision, request.user, ["approve", "reject"]),
    )


def decision_decide(request: Any, pk: int, action: str) -> Any:
    decision = get_object_or_404(DepositDecision, pk=pk)
    back = reverse("liens_deposit_decision", args=[decision.pk])
    if action not in ("approve", "reject"):
        raise PermissionDenied
    verdict = getattr(decision, f"can_{action}")(request.user)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(back)
    form: Any = (
        f.RejectForm(_posted(request))
        if action == "reject"
        else f.FollowUpCloseForm(_posted(request))
    )
    if action == "approve":
        form.fields.pop("note")
    if request.method == "POST" and form.is_valid():
        try:
            if action == "approve":
                decision_services.deposit_decision_approve(
                    actor=request.user, decision=decision
                )
            else:
                decision_services.deposit_decision_reject(
                    actor=request.user,
                    decision=decision,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            _add_errors(form, error, {})
        else:
            word = "approved" if action == "approve" else "rejected"
            messages.success(request, f"{decision} {word}.")
            return redirect(back)
    return _page(
        request,
        "confirm.html",
        f"{'Approve' if action == 'approve' else 'Reject'} {decision}",
        form=form,
        facts=_decision_facts(decision),
        warning=(
            f"Approving requires a {format_money(decision.deposit_required.amount)} "
            f"{decision.get_instrument_type_display().lower()} before service on "
            f"account {decision.account.number} is connected."
            if action == "approve"
            else "The decision is closed; a new one may be proposed."
        ),
        submit="Approve" if action == "approve" else "Reject",
        back_url=back,
    )
