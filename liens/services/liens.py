"""The lien's life: created for a loan, recorded by the county, its
satisfaction prepared when the loan is paid off, the satisfaction recorded.

Each is a named transition (portal.transitions): lock the row, ask the
lien's `can_<action>` predicate, change, save with a history reason.
Subordinations move the position in liens.services.subordinations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from liens.choices import LienStatus
from liens.models import Lien
from loans.models import Loan
from portal.audit import audit_context
from portal.choices import DocumentType
from portal.models import Document
from portal.transitions import (
    ALLOWED,
    TransitionRefused,
    Verdict,
    has_perm,
    locked,
    refuse,
    save_transition,
)

NO_PROPERTY = (
    "Loan {number} has no property on file; add the property before creating its lien."
)
ALREADY_LIENED = "Loan {number} already has lien {reference}."
NOT_REQUIRED = "Loan {number} does not need a lien."
NO_RECORDING_REFERENCE = "Give the instrument number, or the book and page."
FUTURE = "The {what} date can't be in the future."


def can_create_lien(loan: Loan, actor: Any) -> Verdict:
    """The back office's "Create lien" button (for loans migrated without one)."""
    if not (verdict := has_perm(actor, "liens.record_lien", doing="record liens")):
        return verdict
    if not loan.lien_required:
        return refuse(NOT_REQUIRED.format(number=loan.number))
    standing = loan.liens.exclude(status=LienStatus.SATISFIED).first()
    if standing is not None:
        return refuse(
            ALREADY_LIENED.format(number=loan.number, reference=standing.reference)
        )
    if loan.parcel_id is None:
        return refuse(NO_PROPERTY.format(number=loan.number))
    return ALLOWED


@transaction.atomic
def lien_create_for_loan(*, actor: Any, loan: Loan, position: int = 1) -> Lien:
    """The loan's lien, to record: its principal on its property."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if not (verdict := has_perm(actor, "liens.record_lien", doing="record liens")):
        raise TransitionRefused(verdict.reason, code="refused")
    if loan.parcel_id is None:
        raise ValidationError(NO_PROPERTY.format(number=loan.number))
    standing = loan.liens.exclude(status=LienStatus.SATISFIED).first()
    if standing is not None:
        raise ValidationError(
            ALREADY_LIENED.format(number=loan.number, reference=standing.reference)
        )
    if position < 1:
        raise ValidationError({"position": "The position is 1 or more."})
    lien = Lien(
        loan=loan,
        parcel_id=loan.parcel_id,
        amount=loan.principal,
        position=position,
        status=LienStatus.TO_RECORD,
        created_by=actor,
    )
    with audit_context(user=actor, reason=f"Lien created for loan {loan.number}"):
        lien.save()
    return lien


@transaction.atomic
def lien_record(
    *,
    actor: Any,
    lien: Lien,
    recording_county: str,
    instrument_number: str = "",
    book: str = "",
    page: str = "",
    recorded_on: date,
    recorded_document: Document | None = None,
    position: int | None = None,
) -> Lien:
    """The county recorded the lien: where, under which number, on which day."""
    lien = locked(Lien, lien.pk, "record", actor)
    county = (recording_county or "").strip()
    instrument_number = (instrument_number or "").strip()
    book, page = (book or "").strip(), (page or "").strip()
    errors: dict[str, str] = {}
    if not county:
        errors["recording_county"] = "Give the county where the lien was recorded."
    if not instrument_number and not (book and page):
        if book and not page:
            errors["page"] = "Give the page with the book."
        elif page and not book:
            errors["book"] = "Give the book with the page."
        else:
            errors["instrument_number"] = NO_RECORDING_REFERENCE
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = FUTURE.format(what="recording")
    if position is not None and position < 1:
        errors["position"] = "The position is 1 or more."
    if errors:
        raise ValidationError(errors)
    where = instrument_number or f"book {book}, page {page}"
    return save_transition(
        lien,
        actor=actor,
        reason=f"Lien recorded in {county} County ({where}) on {recorded_on}",
        status=LienStatus.RECORDED,
        recording_county=county,
        instrument_number=instrument_number,
        book=book,
        page=page,
        recorded_on=recorded_on,
        recorded_document=recorded_document,
        position=position if position is not None else lien.position,
    )


@transaction.atomic
def lien_prepare_satisfaction(*, actor: Any, lien: Lien) -> Lien:
    """The loan is paid off: the satisfaction of lien as a PDF for signature."""
    from liens.documents.satisfaction import satisfaction_pdf

    lien = locked(Lien, lien.pk, "prepare_satisfaction", actor)
    pdf = satisfaction_pdf(lien=lien)
    reason = f"Satisfaction of lien {lien.reference} prepared"
    with audit_context(user=actor, reason=reason):
        document = Document(
            document_type=DocumentType.OTHER,
            original_name=f"satisfaction-{lien.reference}.pdf",
            content_type="application/pdf",
            size_bytes=len(pdf),
            customer=lien.loan.customer,
            uploaded_by=actor,
            description=(
                f"Satisfaction of lien {lien.reference} for loan {lien.loan.number} "
                "(unsigned)"
            ),
        )
        document.file.save(document.original_name, ContentFile(pdf), save=False)
        document.save()
    return save_transition(
        lien,
        actor=actor,
        reason=reason,
        status=LienStatus.SATISFACTION_PENDING,
        stamp="satisfaction_prepared_on",
        satisfaction_document=document,
    )


@transaction.atomic
def lien_satisfy(
    *,
    actor: Any,
    lien: Lien,
    satisfied_on: date,
    satisfaction_instrument_number: str,
    document: Document | None = None,
) -> Lien:
    """The county recorded the satisfaction: the lien no longer stands."""
    lien = locked(Lien, lien.pk, "satisfy", actor)
    number = (satisfaction_instrument_number or "").strip()
    errors: dict[str, str] = {}
    if not number:
        errors["satisfaction_instrument_number"] = (
            "Give the instrument number the county gave the satisfaction."
        )
    if satisfied_on > timezone.localdate():
        errors["satisfied_on"] = FUTURE.format(what="satisfaction")
    elif lien.recorded_on and satisfied_on < lien.recorded_on:
        errors["satisfied_on"] = (
            "The satisfaction can't be recorded before the lien was "
            f"({lien.recorded_on:%B} {lien.recorded_on.day}, {lien.recorded_on.year})."
        )
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {
        "satisfied_on": satisfied_on,
        "satisfaction_instrument_number": number,
    }
    if document is not None:
        changes["satisfaction_document"] = document
    return save_transition(
        lien,
        actor=actor,
        reason=f"Satisfaction of lien {lien.reference} recorded ({number})",
        status=LienStatus.SATISFIED,
        **changes,
    )
