"""The customer's answer to an information request on a rebate application,
from the public site (My applications): as for loan applications
(loans.services.online_answers), the files are checked before anything is
kept, attached to the application's documents, and the application goes
back to review with `information_provided_at` stamped, as the staff's
"information provided" does, under the customer's own predicate
(`RebateApplication.can_answer_information`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portal.customer.answers import (
    answer_note,
    check_answer,
    history_reason,
    store_answer_files,
)
from portal.transitions import locked, save_transition
from programs.choices import RebateStatus
from programs.models import RebateApplication


@transaction.atomic
def rebate_answer_information(
    *,
    actor: Any,
    application: RebateApplication,
    message: str,
    documents: Sequence[UploadedFile[bytes]] = (),
) -> RebateApplication:
    app = locked(RebateApplication, application.pk, "answer_information", actor)
    text = check_answer(message, documents)
    stored = store_answer_files(
        actor=actor,
        customer=app.customer,
        uploads=documents,
        note=answer_note(app.reference, text),
    )
    app.documents.add(*stored)
    return save_transition(
        app,
        actor=actor,
        reason=history_reason(text),
        status=RebateStatus.IN_REVIEW,
        stamp="information_provided_at",
    )
