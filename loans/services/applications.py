"""The loan application workflow:
draft → submitted → in review ⇄ needs information → approved / declined / withdrawn.

Each transition locks the application row, checks who may act and from which
state, sets the new state and its date, and saves with a history reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from djmoney.money import Money

from loans.choices import ApplicationStatus as S
from loans.models import LoanApplication, LoanProduct
from portal.audit import audit_context
from portal.controls import four_eyes_check
from portal.models import Customer, Document, Property, UtilityAccount

WRONG_STATE = "Application {ref} is {state}; it can't be {action} from there."
ACCOUNT_NOT_CUSTOMERS = "Utility account {number} belongs to another customer."
AMOUNT_OUT_OF_RANGE = "{amount} is outside the {product} range of {low} to {high}."
TERM_TOO_LONG = "{term} months is longer than the {product} maximum of {max} months."
REASONS_REQUIRED = "Give the reasons for the decision."
QUESTION_REQUIRED = "Say what information is needed."

_ACTIONS = {
    "submit": ({S.DRAFT}, S.SUBMITTED, "submitted_at", "submitted"),
    "start_review": ({S.SUBMITTED}, S.IN_REVIEW, "review_started_at", "reviewed"),
    "request_information": (
        {S.IN_REVIEW},
        S.NEEDS_INFORMATION,
        "information_requested_at",
        "sent back for information",
    ),
    "provide_information": ({S.NEEDS_INFORMATION}, S.IN_REVIEW, None, "resumed"),
    "approve": ({S.IN_REVIEW}, S.APPROVED, "decided_at", "approved"),
    "decline": (
        {S.IN_REVIEW, S.NEEDS_INFORMATION},
        S.DECLINED,
        "decided_at",
        "declined",
    ),
    "withdraw": (
        {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFORMATION},
        S.WITHDRAWN,
        "withdrawn_at",
        "withdrawn",
    ),
}


def allowed_actions(application: LoanApplication) -> list[str]:
    """The transitions open from the application's current state."""
    return [
        name
        for name, (sources, *_rest) in _ACTIONS.items()
        if application.status in sources
    ]


def _money(value: Money | Decimal | str) -> Money:
    return value if isinstance(value, Money) else Money(Decimal(value), "USD")


def _check_terms(product: LoanProduct, amount: Money, term: int) -> dict[str, str]:
    errors = {}
    if not product.min_amount.amount <= amount.amount <= product.max_amount.amount:
        errors["amount"] = AMOUNT_OUT_OF_RANGE.format(
            amount=amount,
            product=product.code,
            low=product.min_amount,
            high=product.max_amount,
        )
    if term > product.max_term_months:
        errors["term"] = TERM_TOO_LONG.format(
            term=term, product=product.code, max=product.max_term_months
        )
    return errors


@transaction.atomic
def application_create(
    *,
    actor: Any,
    customer: Customer,
    account: UtilityAccount,
    product: LoanProduct,
    requested_amount: Money | Decimal | str,
    requested_term_months: int,
    purpose: str,
    parcel: Property | None = None,
    contractor_name: str = "",
    proposal_document: Document | None = None,
) -> LoanApplication:
    if account.customer_id != customer.pk:
        raise ValidationError(
            {"account": ACCOUNT_NOT_CUSTOMERS.format(number=account.number)}
        )
    application = LoanApplication(
        customer=customer,
        account=account,
        parcel=parcel,
        product=product,
        requested_amount=_money(requested_amount),
        requested_term_months=requested_term_months,
        purpose=purpose.strip(),
        contractor_name=contractor_name,
        proposal_document=proposal_document,
        prepared_by=actor,
        officer=actor,
    )
    application.full_clean()
    with audit_context(user=actor, reason="Application entered"):
        application.save()
    return application


def _transition(
    actor: Any, application: LoanApplication, action: str, reason: str, **changes: Any
) -> LoanApplication:
    sources, target, date_field, verb = _ACTIONS[action]
    # Lock first: two staff acting on one application must not both succeed.
    application = LoanApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in sources:
        raise ValidationError(
            WRONG_STATE.format(
                ref=application.reference,
                state=application.get_status_display().lower(),
                action=verb,
            )
        )
    return application, target, date_field, reason, changes


def _save(
    actor: Any,
    application: LoanApplication,
    target: str,
    date_field: str | None,
    reason: str,
    changes: dict[str, Any],
) -> LoanApplication:
    application.status = target
    if date_field:
        setattr(application, date_field, timezone.now())
    for name, value in changes.items():
        setattr(application, name, value)
    with audit_context(user=actor, reason=reason):
        application.save()
    return application


def _simple(action: str, reason: str):
    @transaction.atomic
    def transition(*, actor: Any, application: LoanApplication) -> LoanApplication:
        app, target, date_field, why, changes = _transition(
            actor, application, action, reason
        )
        return _save(actor, app, target, date_field, why, changes)

    transition.__name__ = f"application_{action}"
    transition.__doc__ = f"Application {reason.lower()} (named transition)."
    return transition


application_submit = _simple("submit", "Application submitted")
application_start_review = _simple("start_review", "Review started")
application_provide_information = _simple(
    "provide_information", "Information provided; review resumed"
)
application_withdraw = _simple("withdraw", "Application withdrawn")


@transaction.atomic
def application_request_information(
    *, actor: Any, application: LoanApplication, question: str
) -> LoanApplication:
    if not question.strip():
        raise ValidationError({"question": QUESTION_REQUIRED})
    app, target, date_field, reason, _ = _transition(
        actor, application, "request_information", "Information requested"
    )
    return _save(
        actor,
        app,
        target,
        date_field,
        f"Information requested: {question.strip()[:200]}",
        {"information_request": question.strip()},
    )


@transaction.atomic
def application_approve(
    *,
    actor: Any,
    application: LoanApplication,
    amount: Money | Decimal | str | None = None,
    term_months: int | None = None,
    reasons: str = "",
) -> LoanApplication:
    """Approve within the product's limits, by someone other than the preparer
    and within the approver's loan approval limit (four-eyes)."""
    app, target, date_field, _, _ = _transition(actor, application, "approve", "")
    money = _money(amount if amount is not None else app.requested_amount)
    term = term_months or app.requested_term_months
    if errors := _check_terms(app.product, money, term):
        raise ValidationError(errors)
    four_eyes_check(
        action="loan", preparer=app.prepared_by, approver=actor, amount=money
    )
    return _save(
        actor,
        app,
        target,
        date_field,
        f"Application approved: {money} for {term} months",
        {
            "approved_amount": money,
            "approved_term_months": term,
            "decided_by": actor,
            "decision_reasons": reasons.strip(),
        },
    )


@transaction.atomic
def application_decline(
    *, actor: Any, application: LoanApplication, reasons: str
) -> LoanApplication:
    if not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED})
    app, target, date_field, _, _ = _transition(actor, application, "decline", "")
    return _save(
        actor,
        app,
        target,
        date_field,
        "Application declined",
        {"decided_by": actor, "decision_reasons": reasons.strip()},
    )
