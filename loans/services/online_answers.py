"""The customer's answer to an information request on a loan application,
from the public site (My applications).

The customer's message and files are checked first (nothing is kept when
anything is refused); the files become the customer's Documents attached to
the application, and the application goes back to review: the same state
change as the staff's "Information received: resume review", under the
customer's own predicate (`LoanApplication.can_answer_information`), with
the history reason "Customer answered online: ...". Nothing else is sent:
the staff see the answer on the application's page at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from loans.choices import ApplicationStatus
from loans.models import LoanApplication
from portal.customer.answers import (
    answer_note,
    check_answer,
    history_reason,
    store_answer_files,
)
from portal.transitions import locked, save_transition


@transaction.atomic
def loan_application_answer_information(
    *,
    actor: Any,
    application: LoanApplication,
    message: str,
    documents: Sequence[UploadedFile[bytes]] = (),
) -> LoanApplication:
    app = locked(LoanApplication, application.pk, "answer_information", actor)
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
        status=ApplicationStatus.IN_REVIEW,
    )
