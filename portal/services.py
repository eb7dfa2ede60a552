"""Use cases on the core records. Views, the API, admin screens and commands
call these; each runs in a transaction and records who acted and why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from djmoney.money import Money

from portal.audit import audit_context
from portal.models import Customer, Document, Note
from portal.validators import validate_document_file


@transaction.atomic
def customer_create(
    *, actor: Any, reason: str = "Customer created", **fields: Any
) -> Customer:
    income = fields.get("household_income")
    if income is not None and not isinstance(income, Money):
        fields["household_income"] = Money(Decimal(income), "USD")
    customer = Customer(**fields)
    customer.full_clean()
    with audit_context(user=actor, reason=reason):
        customer.save()
    return customer


@transaction.atomic
def customer_update(
    *, actor: Any, customer: Customer, reason: str, **changes: Any
) -> Customer:
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.full_clean()
    with audit_context(user=actor, reason=reason):
        customer.save()
    return customer


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    upload: UploadedFile,
    document_type: str,
    customer: Customer | None = None,
    description: str = "",
) -> Document:
    """Store an uploaded file after checking its size and real content type."""
    content_type = validate_document_file(upload)
    document = Document(
        document_type=document_type,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size_bytes=upload.size,
        customer=customer,
        description=description,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean(exclude=["file"])
    with audit_context(user=actor, reason=f"Document uploaded: {upload.name}"):
        document.save()
    return document


@transaction.atomic
def note_add(*, actor: Any, subject: Any, text: str) -> Note:
    note = Note(subject=subject, text=text.strip(), author=actor)
    note.full_clean()
    with audit_context(user=actor, reason="Note added"):
        note.save()
    return note
