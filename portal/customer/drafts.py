"""A customer's online application drafts (portal.models.OnlineApplication):
start one, save a step's answers (with its uploads), find one of the
customer's own, list the customer's drafts.

Generic on purpose: the loan and the rebate applications keep their answers
the same way, under `data[<step>]`, as plain JSON values read back through
the step's form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal.audit import audit_context
from portal.customer.access import own_or_404
from portal.models import Customer, OnlineApplication
from portal.services import document_upload

ALREADY_SUBMITTED = "This application was already sent; it can't be changed here."


@transaction.atomic
def draft_start(*, actor: Any, customer: Customer, kind: str) -> OnlineApplication:
    draft = OnlineApplication(customer=customer, kind=kind)
    draft.full_clean()
    with audit_context(user=actor, reason="Online application started"):
        draft.save()
    return draft


@transaction.atomic
def draft_save_step(
    *,
    actor: Any,
    draft: OnlineApplication,
    step: str,
    data: dict[str, Any],
    next_step: str | None = None,
    uploads: Mapping[str, tuple[UploadedFile[bytes], str]] | None = None,
) -> OnlineApplication:
    """Keep one step's answers (`data`, JSON values) and where to resume
    (`next_step`, or this step). Each upload (`field: (file, document
    type)`) is checked and stored as the customer's document
    (portal.services.document_upload); its id replaces the field's earlier
    one. A refused upload raises ValidationError on its field and nothing is
    saved."""
    locked = OnlineApplication.objects.select_for_update().get(pk=draft.pk)
    if not locked.is_draft():
        raise ValidationError(ALREADY_SUBMITTED)
    answers = dict(data)
    for field, (upload, document_type) in (uploads or {}).items():
        try:
            document = document_upload(
                actor=actor,
                upload=upload,
                document_type=document_type,
                customer=locked.customer,
            )
        except ValidationError as refused:
            raise ValidationError({field: refused.messages}) from None
        previous = (locked.data.get(step) or {}).get(field)
        if previous:
            locked.documents.remove(previous)
        locked.documents.add(document)
        answers[field] = document.pk
    locked.data = {**locked.data, step: answers}
    locked.step = next_step or step
    locked.updated_at = timezone.now()
    with audit_context(user=actor, reason=f"Online application: {step} saved"):
        locked.save()
    return locked


def own_draft_or_404(customer: Customer, pk: Any, kind: str) -> OnlineApplication:
    """The customer's own application of this kind (draft or submitted), or
    404, the same answer for someone else's and for none."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such application.") from None
    return own_or_404(OnlineApplication.objects.all(), customer, pk=number, kind=kind)


def customer_drafts(
    customer: Customer, kind: str | None = None
) -> QuerySet[OnlineApplication]:
    """The customer's applications not sent yet, the latest first."""
    drafts = OnlineApplication.objects.filter(
        customer=customer, submitted_at__isnull=True
    )
    return drafts.filter(kind=kind) if kind else drafts
