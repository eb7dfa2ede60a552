"""A title company's payoff request at a property sale: entered by staff,
it produces the payoff letter (the loans payoff letter) good through the
requested day. The payment is posted as any payment; when it pays the loan
off, the lien's satisfaction is prepared (liens.receivers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from liens.models import PayoffRequest
from loans.documents.payoff_letter import payoff_letter_pdf
from loans.models import Loan
from portal.audit import audit_context
from portal.choices import DocumentType
from portal.models import Document
from portal.transitions import TransitionRefused


@transaction.atomic
def payoff_request_create(
    *,
    actor: Any,
    loan: Loan,
    title_company: str,
    contact_name: str,
    email: str,
    closing_on: date,
    payoff_on: date,
) -> PayoffRequest:
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    verdict = PayoffRequest.can_create_for(loan, actor)
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")
    title_company, contact_name = title_company.strip(), contact_name.strip()
    email = email.strip()
    errors: dict[str, str] = {}
    if not title_company:
        errors["title_company"] = "Give the title company's name."
    if not contact_name:
        errors["contact_name"] = "Give the name of the contact at the title company."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Give the contact's e-mail address, e.g. name@example.com."
    today = timezone.localdate()
    if payoff_on < today:
        errors["payoff_on"] = "The payoff date can't be in the past."
    elif loan.disbursed_on and payoff_on < loan.disbursed_on:
        errors["payoff_on"] = "The payoff date can't be before the loan was disbursed."
    if errors:
        raise ValidationError(errors)
    request = PayoffRequest(
        loan=loan,
        title_company=title_company,
        contact_name=contact_name,
        email=email,
        closing_on=closing_on,
        payoff_on=payoff_on,
        created_by=actor,
    )
    reason = f"Payoff request from {title_company} for loan {loan.number}"
    pdf = payoff_letter_pdf(loan=loan, as_of=payoff_on, prepared_by=actor)
    with audit_context(user=actor, reason=reason):
        request.save()
        document = Document(
            document_type=DocumentType.OTHER,
            original_name=f"payoff-letter-{loan.number}-{payoff_on:%Y%m%d}.pdf",
            content_type="application/pdf",
            size_bytes=len(pdf),
            customer=loan.customer,
            uploaded_by=actor,
            description=(
                f"Payoff letter for loan {loan.number} good through {payoff_on}, "
                f"for {title_company} ({request.reference})"
            ),
        )
        document.file.save(document.original_name, ContentFile(pdf), save=False)
        document.save()
        request.letter_document = document
        request.save(update_fields=["letter_document"])
    return request
