"""A loan application made online by a customer (portal.models.OnlineApplication,
kind "loan"), read back from its draft and submitted into the same staff
workflow as one entered at the counter.

The draft keeps its answers by step:

    data["loan"]    = {"account": pk, "parcel": pk or None, "product": pk,
                       "amount": "4000.00", "term": 48}
    data["project"] = {"purpose": "...", "measures": ["heat_pump", ...],
                       "contractor_name": "...", "proposal": document pk}

Whether it may be made is judged by loans.services.applications'
`application_checks`, the very rules the staff's entry and approval apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from loans import schedule
from loans.choices import ApplicationStatus
from loans.models import LoanApplication, LoanProduct
from loans.services.applications import (
    ApplicationCheck,
    application_checks,
    application_create,
    application_refusals,
)
from portal.audit import audit_context
from portal.models import (
    Customer,
    Document,
    OfficeSettings,
    OnlineApplication,
    Property,
    UtilityAccount,
)
from portal.models.online import OnlineApplicationKind
from portal.money import MoneyError, parse_money
from portal.transitions import save_transition

# The measures a customer may tick (the loan's purpose is in words as well).
MEASURES = [
    ("insulation", "Insulation"),
    ("air_sealing", "Air sealing"),
    ("heat_pump", "Heat pump"),
    ("windows", "Windows or doors"),
    ("water_heater", "Water heater"),
    ("solar_pv", "Solar photovoltaic system"),
    ("roofing", "ENERGY STAR roofing"),
    ("water_sewer", "Water or sewer connection"),
]
MEASURE_LABELS = dict(MEASURES)

# Where each answer is asked (the step), for the review page's messages.
FIELD_STEP = {
    "account": "loan",
    "parcel": "loan",
    "product": "loan",
    "amount": "loan",
    "term": "loan",
    "purpose": "project",
    "measures": "project",
    "contractor_name": "project",
    "proposal": "project",
}
# application_checks names the application's fields; the online form its own.
FORM_FIELD = {"requested_amount": "amount", "requested_term_months": "term"}

CHOOSE_ACCOUNT = "Choose the utility account the loan is for."
CHOOSE_PRODUCT = "Choose the loan you are applying for."
CHOOSE_PROPERTY = "Choose one of your properties."
ENTER_AMOUNT = "Enter the amount you want to borrow."
ENTER_TERM = "Enter how many months you want to repay over."
ENTER_PURPOSE = "Say what the loan will pay for."
NOT_YOUR_APPLICATION = "Only the customer can submit their own application."
SUBMITTED_REASON = "Submitted online"


def loan_property_choices(customer: Customer) -> QuerySet[Property]:
    """The properties a customer may name: the ones they own and the ones
    their accounts serve."""
    return Property.objects.filter(
        Q(owners=customer) | Q(accounts__customer=customer)
    ).distinct()


@dataclass
class LoanAnswers:
    """A draft's answers as records (None where not given or not found)."""

    account: UtilityAccount | None = None
    parcel: Property | None = None
    product: LoanProduct | None = None
    amount: Decimal | None = None
    term: int | None = None
    purpose: str = ""
    measures: list[str] = field(default_factory=list)
    contractor_name: str = ""
    proposal: Document | None = None

    @property
    def measure_labels(self) -> list[str]:
        return [MEASURE_LABELS[m] for m in self.measures if m in MEASURE_LABELS]

    def application_purpose(self) -> str:
        """The purpose as the staff read it: the ticked measures, then the
        customer's words."""
        labels = self.measure_labels
        lead = f"Measures: {', '.join(labels)}." if labels else ""
        return "\n".join(part for part in [lead, self.purpose.strip()] if part)


def _pk(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def loan_draft_answers(draft: OnlineApplication) -> tuple[LoanAnswers, dict[str, str]]:
    """The draft's answers, and what is missing (a message per form field).

    The account and the product are read whatever they have become (an
    account moved to someone else or a product withdrawn is judged by
    application_checks, in the staff's words); a property must still be one
    of the customer's."""
    loan = draft.data.get("loan") or {}
    project = draft.data.get("project") or {}
    answers = LoanAnswers()
    missing: dict[str, str] = {}

    if (pk := _pk(loan.get("account"))) is not None:
        answers.account = UtilityAccount.objects.filter(pk=pk).first()
    if answers.account is None:
        missing["account"] = CHOOSE_ACCOUNT
    if (pk := _pk(loan.get("product"))) is not None:
        answers.product = LoanProduct.objects.filter(pk=pk).first()
    if answers.product is None:
        missing["product"] = CHOOSE_PRODUCT
    if (pk := _pk(loan.get("parcel"))) is not None:
        answers.parcel = loan_property_choices(draft.customer).filter(pk=pk).first()
        if answers.parcel is None:
            missing["parcel"] = CHOOSE_PROPERTY
    try:
        answers.amount = parse_money(loan["amount"]) if loan.get("amount") else None
    except MoneyError:
        answers.amount = None
    if answers.amount is None:
        missing["amount"] = ENTER_AMOUNT
    answers.term = _pk(loan.get("term"))
    if answers.term is None:
        missing["term"] = ENTER_TERM

    answers.purpose = str(project.get("purpose") or "")
    answers.measures = [str(m) for m in project.get("measures") or []]
    if not answers.purpose.strip() and not answers.measure_labels:
        missing["purpose"] = ENTER_PURPOSE
    answers.contractor_name = str(project.get("contractor_name") or "")
    if (pk := _pk(project.get("proposal"))) is not None:
        answers.proposal = Document.objects.filter(
            pk=pk, customer_id=draft.customer_id
        ).first()
    return answers, missing


def loan_draft_checks(
    draft: OnlineApplication, answers: LoanAnswers
) -> list[ApplicationCheck]:
    """The staff's rules on the draft's answers (none until the account,
    product, amount and term are given)."""
    if (
        answers.account is None
        or answers.product is None
        or answers.amount is None
        or answers.term is None
    ):
        return []
    return application_checks(
        customer=draft.customer,
        account=answers.account,
        product=answers.product,
        amount=answers.amount,
        term=answers.term,
        parcel=answers.parcel,
    )


def loan_draft_refusals(draft: OnlineApplication) -> dict[str, str]:
    """Everything that stops the draft from being submitted, by form field:
    missing answers, then the failed rules."""
    answers, missing = loan_draft_answers(draft)
    refusals = application_refusals(loan_draft_checks(draft, answers), FORM_FIELD)
    return {**refusals, **missing}


def estimated_installment(
    product: LoanProduct | None, amount: Decimal | None, term: int | None
) -> Decimal | None:
    """The level monthly installment for these terms at the product's rate
    (loans.schedule), or None when it can't be worked out."""
    if product is None or amount is None or term is None or amount <= 0 or term < 1:
        return None
    return schedule.installment_amount(amount, product.annual_rate, term)


@transaction.atomic
def loan_application_submit_online(
    *, actor: Any, draft: OnlineApplication
) -> LoanApplication:
    """Submit the customer's draft: re-judge it by the staff's rules, create
    the application through the staff's own entry (the customer's log-in is
    its preparer, so never its approver; no officer yet), submitted, with the
    contractor's proposal; mark the draft sent; e-mail the customer once
    the transaction commits.

    The draft row is locked: a second submission (a double click, the back
    button) finds it sent and answers the same application."""
    locked = OnlineApplication.objects.select_for_update().get(
        pk=draft.pk, kind=OnlineApplicationKind.LOAN
    )
    customer = Customer.objects.get(pk=locked.customer_id)
    if actor is None or customer.user_id != actor.pk:
        raise ValidationError(NOT_YOUR_APPLICATION)
    if not locked.is_draft():
        sent: LoanApplication = LoanApplication.objects.get(pk=locked.submitted_id or 0)
        return sent

    answers, missing = loan_draft_answers(locked)
    refusals = {
        **application_refusals(loan_draft_checks(locked, answers), FORM_FIELD),
        **missing,
    }
    if refusals:
        raise ValidationError(refusals)
    assert answers.account is not None and answers.product is not None
    assert answers.amount is not None and answers.term is not None

    application = application_create(
        actor=actor,
        customer=customer,
        account=answers.account,
        product=answers.product,
        requested_amount=answers.amount,
        requested_term_months=answers.term,
        purpose=answers.application_purpose(),
        parcel=answers.parcel,
        contractor_name=answers.contractor_name[:200],
        proposal_document=answers.proposal,
        officer=None,
        reason="Application entered online",
    )
    application = save_transition(
        application,
        actor=actor,
        reason=SUBMITTED_REASON,
        status=ApplicationStatus.SUBMITTED,
        stamp="submitted_at",
    )
    locked.submitted_at = application.submitted_at or timezone.now()
    locked.submitted_type = ContentType.objects.get_for_model(LoanApplication)
    locked.submitted_id = application.pk
    locked.submitted_reference = application.reference
    locked.updated_at = locked.submitted_at
    with audit_context(user=actor, reason=SUBMITTED_REASON):
        locked.save()

    email = actor.email
    if email:
        # robust: a mail server's failure is logged; the application stands.
        transaction.on_commit(
            lambda: _send_confirmation(application=application, to=email),
            robust=True,
        )
    return application


def application_status_url(application: LoanApplication) -> str:
    """Where the customer follows the application: its page under My
    applications, or My account while that page does not exist."""
    try:
        return reverse("customer:application", args=["loan", application.pk])
    except NoReverseMatch:
        return reverse("portal:account")


def _send_confirmation(*, application: LoanApplication, to: str) -> None:
    office = OfficeSettings.current()
    context = {
        "application": application,
        "customer": application.customer,
        "product": application.product,
        "office": office,
        "status_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + application_status_url(application),
    }
    subject = render_to_string(
        "customer/email/loan_application_submitted_subject.txt", context
    )
    message = render_to_string(
        "customer/email/loan_application_submitted_message.txt", context
    )
    send_mail(
        subject=" ".join(subject.split()),
        message=message,
        from_email=office.email or settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
        fail_silently=False,
    )
