"""Subordination requests: one service per step.

submit (lender's form or staff) → match to our lien → start review →
approve (supervisor, four-eyes, every active rule passing) or deny with a
reason letter → generate the agreement → record it, which moves the lien's
position (through Lien.can_subordinate). Withdraw before a decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from liens.choices import LienStatus
from liens.choices_subordinations import SubordinationSource, SubordinationStatus
from liens.documents.subordinations import agreement_pdf, denial_letter_pdf
from liens.models import Lien, SubordinationRequest
from liens.selectors_subordinations import review_facts
from portal.audit import audit_context
from portal.choices import ApprovalAction, DocumentType
from portal.controls import four_eyes_check
from portal.models import Document
from portal.money import usd
from portal.services import document_upload
from portal.transitions import TransitionRefused, locked, save_transition

REASON_REQUIRED = "Say why the request is denied; the lender receives it in the letter."
RULES_FAIL = "The request does not meet the subordination rules: {reasons}"
LIEN_NOT_STANDING = "Lien {lien} is {status}; only a recorded lien can be subordinated."
POSITION_REQUIRED = "Give the lien's new position (2 for second, and so on)."
INSTRUMENT_REQUIRED = (
    "Give the instrument number the county recorded the agreement under."
)
FUTURE_DATE = "The recording date can't be in the future."
BEFORE_APPROVAL = "The agreement can't be recorded before it was approved on {day}."


def _reference(request: SubordinationRequest) -> str:
    year = timezone.localdate(request.received_at).year
    return f"SR-{year}-{request.pk:06d}"


@transaction.atomic
def subordination_request_submit(
    *,
    actor: Any,
    source: str,
    institution: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    property_text: str,
    borrower_name: str,
    new_loan_amount: Decimal,
    purpose: str,
    appraised_value: Decimal,
    senior_liens_total: Decimal,
    fee_paid: bool = False,
    fee_paid_on: date | None = None,
    fee_amount: Decimal | None = None,
    uploads: Iterable[UploadedFile[bytes]] = (),
) -> SubordinationRequest:
    """Store a new request and give it its reference number. Public
    submissions act as the system user; nothing here looks at our liens."""
    request = SubordinationRequest(
        source=source,
        institution=institution.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        property_text=property_text.strip(),
        borrower_name=borrower_name.strip(),
        new_loan_amount=usd(new_loan_amount),
        purpose=purpose,
        appraised_value=usd(appraised_value),
        senior_liens_total=usd(senior_liens_total),
        fee_paid=fee_paid,
        fee_paid_on=fee_paid_on if fee_paid else None,
        fee_amount=usd(fee_amount) if fee_paid and fee_amount is not None else None,
        entered_by=actor if source == SubordinationSource.STAFF else None,
    )
    errors: dict[str, list[str]] = {}
    if request.appraised_value.amount <= 0:
        errors["appraised_value"] = ["The appraised value must be more than $0.00."]
    if request.new_loan_amount.amount <= 0:
        errors["new_loan_amount"] = ["The new loan amount must be more than $0.00."]
    if errors:
        raise ValidationError(errors)
    request.full_clean(exclude=["reference"])
    with audit_context(user=actor, reason="Subordination request received"):
        request.save()
        request.reference = _reference(request)
        request.save(update_fields=["reference"])
    for upload in uploads:
        document = document_upload(
            actor=actor,
            upload=upload,
            document_type=DocumentType.OTHER,
            description=f"Lender's document for {request.reference}",
        )
        request.documents.add(document)
    return request


@transaction.atomic
def subordination_request_match(
    *, actor: Any, request: SubordinationRequest, lien: Lien
) -> SubordinationRequest:
    request = locked(SubordinationRequest, request.pk, "match", actor)
    if not lien.is_standing() or lien.status == LienStatus.SATISFACTION_PENDING:
        raise ValidationError(
            {
                "lien": [
                    LIEN_NOT_STANDING.format(
                        lien=lien.reference, status=lien.get_status_display().lower()
                    )
                ]
            }
        )
    return save_transition(
        request,
        actor=actor,
        reason=f"Matched to lien {lien.reference}",
        stamp="matched_on",
        lien=lien,
    )


@transaction.atomic
def subordination_start_review(
    *, actor: Any, request: SubordinationRequest
) -> SubordinationRequest:
    request = locked(SubordinationRequest, request.pk, "start_review", actor)
    return save_transition(
        request,
        actor=actor,
        reason="Review started",
        status=SubordinationStatus.IN_REVIEW,
        stamp="review_started_on",
        prepared_by=actor,
    )


@transaction.atomic
def subordination_approve(
    *, actor: Any, request: SubordinationRequest, as_of: date | None = None
) -> SubordinationRequest:
    """Four-eyes within the supervisor's subordination limit (amount = the
    new loan), and every active rule passing."""
    request = locked(SubordinationRequest, request.pk, "approve", actor)
    four_eyes_check(
        action=ApprovalAction.SUBORDINATION,
        preparer=request.prepared_by,
        approver=actor,
        amount=request.new_loan_amount,
    )
    facts = review_facts(request, as_of)
    if not facts.all_pass:
        reasons = " ".join(result.reason for result in facts.failures)
        raise TransitionRefused(RULES_FAIL.format(reasons=reasons), code="rules")
    return save_transition(
        request,
        actor=actor,
        reason="Subordination approved",
        status=SubordinationStatus.APPROVED,
        stamp="approved_on",
        decided_by=actor,
    )


def _store_pdf(
    *,
    actor: Any,
    request: SubordinationRequest,
    pdf: bytes,
    name: str,
    description: str,
) -> Document:
    customer = request.lien.loan.customer if request.lien else None
    document = Document(
        document_type=DocumentType.OTHER,
        original_name=name,
        content_type="application/pdf",
        size_bytes=len(pdf),
        customer=customer,
        uploaded_by=actor,
        description=description,
    )
    document.file.save(name, ContentFile(pdf), save=False)
    with audit_context(user=actor, reason=description):
        document.save()
    return document


@transaction.atomic
def subordination_deny(
    *, actor: Any, request: SubordinationRequest, reason: str
) -> SubordinationRequest:
    """Deny with a reason; the reason letter to the lender is generated."""
    request = locked(SubordinationRequest, request.pk, "deny", actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [REASON_REQUIRED]})
    request.status = SubordinationStatus.DENIED
    request.denial_reason = reason
    request.decided_by = actor
    request.denied_on = timezone.localdate()
    letter = _store_pdf(
        actor=actor,
        request=request,
        pdf=denial_letter_pdf(request),
        name=f"subordination-denial-{request.reference}.pdf",
        description=f"Denial letter for subordination request {request.reference}",
    )
    return save_transition(
        request, actor=actor, reason="Subordination denied", denial_letter=letter
    )


@transaction.atomic
def subordination_agreement_generate(
    *, actor: Any, request: SubordinationRequest, new_position: int | None = None
) -> Document:
    """The subordination agreement PDF for an approved request (generated
    again on request, e.g. after a correction; the latest one is kept)."""
    request = locked(SubordinationRequest, request.pk, "generate_agreement", actor)
    document = _store_pdf(
        actor=actor,
        request=request,
        pdf=agreement_pdf(request, new_position=new_position),
        name=f"subordination-agreement-{request.reference}.pdf",
        description=f"Subordination agreement for request {request.reference}",
    )
    save_transition(
        request,
        actor=actor,
        reason="Subordination agreement generated",
        stamp="agreement_generated_on",
        agreement_document=document,
    )
    return document


@transaction.atomic
def subordination_record(
    *,
    actor: Any,
    request: SubordinationRequest,
    recorded_on: date,
    instrument_number: str,
    new_position: int,
) -> SubordinationRequest:
    """The county recorded the agreement: the lien becomes subordinated at
    its new position (the lien row locked and asked `can_subordinate`)."""
    request = locked(SubordinationRequest, request.pk, "record", actor)
    errors: dict[str, list[str]] = {}
    instrument_number = (instrument_number or "").strip()
    if not instrument_number:
        errors["instrument_number"] = [INSTRUMENT_REQUIRED]
    if not new_position or new_position < 1:
        errors["new_position"] = [POSITION_REQUIRED]
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = [FUTURE_DATE]
    elif request.approved_on and recorded_on < request.approved_on:
        errors["recorded_on"] = [
            BEFORE_APPROVAL.format(
                day=f"{request.approved_on:%B} {request.approved_on.day}, {request.approved_on:%Y}"
            )
        ]
    if errors:
        raise ValidationError(errors)
    assert request.lien_id is not None  # can_record requires the agreement, so a lien
    lien = locked(Lien, request.lien_id, "subordinate", actor)
    save_transition(
        lien,
        actor=actor,
        reason=f"Subordinated by {request.reference} (instrument {instrument_number})",
        status=LienStatus.SUBORDINATED,
        position=new_position,
        subordinated_on=recorded_on,
    )
    return save_transition(
        request,
        actor=actor,
        reason="Subordination agreement recorded",
        status=SubordinationStatus.RECORDED,
        recorded_on=recorded_on,
        instrument_number=instrument_number,
        new_position=new_position,
    )


@transaction.atomic
def subordination_withdraw(
    *, actor: Any, request: SubordinationRequest
) -> SubordinationRequest:
    request = locked(SubordinationRequest, request.pk, "withdraw", actor)
    return save_transition(
        request,
        actor=actor,
        reason="Subordination request withdrawn",
        status=SubordinationStatus.WITHDRAWN,
        stamp="withdrawn_on",
    )


__all__ = [
    "subordination_agreement_generate",
    "subordination_approve",
    "subordination_deny",
    "subordination_record",
    "subordination_request_match",
    "subordination_request_submit",
    "subordination_start_review",
    "subordination_withdraw",
]
