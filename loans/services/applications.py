"""The loan application workflow:
draft → submitted → in review ⇄ needs information → approved / declined / withdrawn.

Each transition locks the application row, asks the model's `can_<action>`
predicate (who may act, from which state), sets the new state and its own
date, and saves with a history reason (portal.transitions).
"""

from __future__ import annotations

from dataclasses import dataclass
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


PRODUCT_NOT_OFFERED = "{product} is no longer offered."
TERM_TOO_SHORT = "The term must be at least one month."
LIEN_NEEDS_PROPERTY = (
    "{product} loans above {threshold} are secured by a lien on the property: "
    "choose the property the loan is for."
)


@dataclass(frozen=True)
class ApplicationCheck:
    """One rule a loan application is judged by, and its outcome in words.

    `field` names the application's field the rule is about (its refusal
    lands there); `rule` says what is checked; `reason` is the staff's own
    refusal message when it fails, or why it passes."""

    field: str
    rule: str
    passed: bool
    reason: str


def application_checks(
    *,
    customer: Customer,
    account: UtilityAccount,
    product: LoanProduct,
    amount: Money | Decimal,
    term: int,
    parcel: Property | None,
) -> list[ApplicationCheck]:
    """Every rule an application must meet when it is entered (at the counter
    or online) and again when it is approved, each with its reason. The one
    copy of these rules: the back office, the online application and its
    eligibility page all read them here."""
    money = amount.amount if isinstance(amount, Money) else amount
    checks = [
        ApplicationCheck(
            "account",
            "The utility account is yours",
            account.customer_id == customer.pk,
            f"Utility account {account.number} is in your name."
            if account.customer_id == customer.pk
            else ACCOUNT_NOT_CUSTOMERS.format(number=account.number),
        ),
        ApplicationCheck(
            "product",
            "The loan is still offered",
            product.is_active,
            f"{product.name} is offered."
            if product.is_active
            else PRODUCT_NOT_OFFERED.format(product=product.code),
        ),
    ]
    checks += _limit_checks(product, money, term)
    threshold = product.lien_required_above
    needs_lien = bool(threshold is not None and money > threshold.amount)
    if not needs_lien:
        lien_reason = (
            f"{product.code} loans need no lien."
            if threshold is None
            else f"{product.code} loans up to {format_money(threshold.amount)} "
            "need no lien on the property."
        )
    elif parcel is None:
        assert threshold is not None
        lien_reason = LIEN_NEEDS_PROPERTY.format(
            product=product.code, threshold=format_money(threshold.amount)
        )
    else:
        lien_reason = f"The loan will be secured by a lien on the property {parcel}."
    checks.append(
        ApplicationCheck(
            "parcel",
            "A property is named when the loan needs a lien",
            not needs_lien or parcel is not None,
            lien_reason,
        )
    )
    return checks


def application_refusals(
    checks: list[ApplicationCheck], rename: dict[str, str] | None = None
) -> dict[str, str]:
    """The failed checks' reasons by field (`rename` maps a field's name to
    the caller's), for a ValidationError."""
    return {
        (rename or {}).get(check.field, check.field): check.reason
        for check in checks
        if not check.passed
    }


def _limit_checks(
    product: LoanProduct, money: Decimal, term: int
) -> list[ApplicationCheck]:
    """The product's limits: the amount within its range, the term within
    its maximum."""
    low, high = product.min_amount.amount, product.max_amount.amount
    in_range = low <= money <= high
    if in_range:
        amount_reason = (
            f"{format_money(money)} is within the {product.code} range of "
            f"{format_money(low)} to {format_money(high)}."
        )
    else:
        amount_reason = AMOUNT_OUT_OF_RANGE.format(
            amount=format_money(money),
            product=product.code,
            low=format_money(low),
            high=format_money(high),
        )
    if term < 1:
        term_ok, term_reason = False, TERM_TOO_SHORT
    elif term > product.max_term_months:
        term_ok = False
        term_reason = TERM_TOO_LONG.format(
            term=term, product=product.code, max=product.max_term_months
        )
    else:
        term_ok = True
        term_reason = (
            f"{term} months is within the {product.code} maximum of "
            f"{product.max_term_months} months."
        )
    return [
        ApplicationCheck(
            "requested_amount",
            "The amount is within the loan's range",
            in_range,
            amount_reason,
        ),
        ApplicationCheck(
            "requested_term_months",
            "The term is within the loan's limit",
            term_ok,
            term_reason,
        ),
    ]


def _check_terms(product: LoanProduct, amount: Money, term: int) -> dict[str, str]:
    """The product's limits alone, keyed as the approval form names them
    (the same reasons as application_checks)."""
    return application_refusals(
        _limit_checks(product, amount.amount, term),
        {"requested_amount": "amount", "requested_term_months": "term"},
    )


# application_create's default officer: the staff member entering it.
_THE_ACTOR: Any = object()


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
    officer: Any = _THE_ACTOR,
    reason: str = "Application entered",
) -> LoanApplication:
    """Enter an application, judged by application_checks. Staff entering one
    are its officer; an application made online (loans.services.online) has
    the customer's log-in as its preparer and no officer yet."""
    money = _money(requested_amount)
    if refusals := application_refusals(
        application_checks(
            customer=customer,
            account=account,
            product=product,
            amount=money,
            term=requested_term_months,
            parcel=parcel,
        )
    ):
        raise ValidationError(refusals)
    application = LoanApplication(
        customer=customer,
        account=account,
        parcel=parcel,
        product=product,
        requested_amount=money,
        requested_term_months=requested_term_months,
        purpose=purpose.strip(),
        contractor_name=contractor_name,
        proposal_document=proposal_document,
        prepared_by=actor,
        officer=actor if officer is _THE_ACTOR else officer,
    )
    application.full_clean()
    with audit_context(user=actor, reason=reason):
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
    if refusals := application_refusals(
        application_checks(
            customer=app.customer,
            account=app.account,
            product=app.product,
            amount=app.requested_amount,
            term=app.requested_term_months,
            parcel=app.parcel,
        )
    ):
        raise ValidationError(refusals)
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
    if refusals := application_refusals(
        application_checks(
            customer=app.customer,
            account=app.account,
            product=product,
            amount=money,
            term=term,
            parcel=app.parcel,
        ),
        {"requested_amount": "amount", "requested_term_months": "term"},
    ):
        raise ValidationError(refusals)
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
