"""The loan application workflow:
draft → submitted → in review ⇄ needs information → approved / declined / withdrawn.

Each transition locks the application row, asks the model's `can_<action>`
predicate (who may act, from which state), sets the new state and its own
date, and saves with a history reason (portal.transitions).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from djmoney.money import Money

from loans.choices import ApplicationStatus as S
from loans.models import LoanApplication, LoanProduct
from portal.audit import audit_context
from portal.controls import four_eyes_check
from portal.models import Customer, Document, Property, UtilityAccount
from portal.money import format_money, parse_money
from portal.transitions import locked, open_actions, save_transition

ACCOUNT_NOT_CUSTOMERS = "Utility account {number} belongs to another customer."
AMOUNT_OUT_OF_RANGE = "{amount} is outside the {product} range of {low} to {high}."
TERM_TOO_LONG = "{term} months is longer than the {product} maximum of {max} months."
REASONS_REQUIRED = "Give the reasons for the decision."
QUESTION_REQUIRED = "Say what information is needed."


def open_application_actions(application: LoanApplication, actor: Any) -> list[str]:
    """The actions the actor may take on the application now (its buttons)."""
    return open_actions(application, actor, LoanApplication.ACTIONS)


def _money(value: Money | Decimal | str) -> Money:
    if isinstance(value, Money):
        return Money(parse_money(value.amount), "USD")
    return Money(parse_money(value), "USD")


def _check_terms(product: LoanProduct, amount: Money, term: int) -> dict[str, str]:
    errors = {}
    if not product.min_amount.amount <= amount.amount <= product.max_amount.amount:
        errors["amount"] = AMOUNT_OUT_OF_RANGE.format(
            amount=format_money(amount.amount),
            product=product.code,
            low=format_money(product.min_amount.amount),
            high=format_money(product.max_amount.amount),
        )
    if term < 1:
        errors["term"] = "The term must be at least one month."
    elif term > product.max_term_months:
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


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: LoanApplication,
    reason: str = "Application terms changed",
    **terms: Any,
) -> LoanApplication:
    """Change what was asked for, while the application is a draft or waiting
    for information; the account must stay the customer's."""
    allowed = {
        "account",
        "parcel",
        "product",
        "requested_amount",
        "requested_term_months",
        "purpose",
        "contractor_name",
        "proposal_document",
    }
    if unknown := set(terms) - allowed:
        raise ValidationError(
            f"These can't be changed here: {', '.join(sorted(unknown))}."
        )
    app = locked(LoanApplication, application.pk, "edit", actor)
    for name, value in terms.items():
        if name == "requested_amount":
            value = _money(value)
        setattr(app, name, value)
    if app.account.customer_id != app.customer_id:
        raise ValidationError(
            {"account": ACCOUNT_NOT_CUSTOMERS.format(number=app.account.number)}
        )
    app.full_clean()
    return save_transition(app, actor=actor, reason=reason)


class _Transition(Protocol):
    def __call__(
        self, *, actor: Any, application: LoanApplication
    ) -> LoanApplication: ...


def _simple(action: str, reason: str, stamp: str | None, status: str) -> _Transition:
    @transaction.atomic
    def transition(*, actor: Any, application: LoanApplication) -> LoanApplication:
        app = locked(LoanApplication, application.pk, action, actor)
        return save_transition(
            app, actor=actor, reason=reason, status=status, stamp=stamp
        )

    transition.__name__ = f"application_{action}"
    transition.__doc__ = (
        f"{reason} (named transition; see LoanApplication.can_{action})."
    )
    return transition


application_submit = _simple(
    "submit", "Application submitted", "submitted_at", S.SUBMITTED
)
application_start_review = _simple(
    "start_review", "Review started", "review_started_at", S.IN_REVIEW
)
application_provide_information = _simple(
    "provide_information", "Information provided; review resumed", None, S.IN_REVIEW
)
application_withdraw = _simple(
    "withdraw", "Application withdrawn", "withdrawn_at", S.WITHDRAWN
)


@transaction.atomic
def application_request_information(
    *, actor: Any, application: LoanApplication, question: str
) -> LoanApplication:
    if not question.strip():
        raise ValidationError({"question": QUESTION_REQUIRED})
    app = locked(LoanApplication, application.pk, "request_information", actor)
    return save_transition(
        app,
        actor=actor,
        reason=f"Information requested: {question.strip()[:200]}",
        status=S.NEEDS_INFORMATION,
        stamp="information_requested_at",
        information_request=question.strip(),
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
    app = locked(LoanApplication, application.pk, "approve", actor)
    money = _money(amount if amount is not None else app.requested_amount)
    term = app.requested_term_months if term_months is None else term_months
    product = LoanProduct.objects.get(pk=app.product_id)
    if errors := _check_terms(product, money, term):
        raise ValidationError(errors)
    if not product.is_active:
        raise ValidationError(f"{product.code} is no longer offered.")
    four_eyes_check(
        action="loan", preparer=app.prepared_by, approver=actor, amount=money
    )
    return save_transition(
        app,
        actor=actor,
        reason=f"Application approved: {format_money(money.amount)} for {term} months",
        status=S.APPROVED,
        stamp="approved_at",
        approved_amount=money,
        approved_term_months=term,
        decided_by=actor,
        decision_reasons=reasons.strip(),
    )


@transaction.atomic
def application_decline(
    *, actor: Any, application: LoanApplication, reasons: str
) -> LoanApplication:
    if not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED})
    app = locked(LoanApplication, application.pk, "decline", actor)
    return save_transition(
        app,
        actor=actor,
        reason="Application declined",
        status=S.DECLINED,
        stamp="declined_at",
        decided_by=actor,
        decision_reasons=reasons.strip(),
    )
