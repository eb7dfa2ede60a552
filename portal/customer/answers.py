"""What the loan and rebate answer services share: checking the customer's
answer (the message and every file) before anything is stored, and storing
the files as the customer's content-checked Documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from portal.choices import DocumentType
from portal.models import Customer, Document
from portal.services import document_upload
from portal.validators import validate_document_file

MESSAGE_REQUIRED = (
    "Write a short answer, even when the file says it all "
    "(for example: \u201cMy 2025 tax return is attached.\u201d)."
)
MESSAGE_TOO_LONG = "Keep the answer to {limit:,} characters; it has {length:,}."
TOO_MANY_FILES = "Attach at most {limit} files at once; you chose {count}."
MESSAGE_LIMIT = 2000
FILES_LIMIT = 5
# Document.description holds the answer beside each file (the staff read it
# on the application's page): at most 255 characters.
NOTE_LIMIT = 255


def check_answer(message: str, uploads: Sequence[UploadedFile[bytes]]) -> str:
    """The stripped message, or ValidationError with every problem on its
    field ("message", "documents"); files are checked before any is kept,
    so a refused answer stores nothing."""
    errors: dict[str, list[str]] = {}
    text = message.strip()
    if not text:
        errors["message"] = [MESSAGE_REQUIRED]
    elif len(text) > MESSAGE_LIMIT:
        errors["message"] = [
            MESSAGE_TOO_LONG.format(limit=MESSAGE_LIMIT, length=len(text))
        ]
    file_errors: list[str] = []
    if len(uploads) > FILES_LIMIT:
        file_errors.append(TOO_MANY_FILES.format(limit=FILES_LIMIT, count=len(uploads)))
    else:
        for upload in uploads:
            try:
                validate_document_file(upload)
            except ValidationError as error:
                file_errors.extend(error.messages)
    if file_errors:
        errors["documents"] = file_errors
    if errors:
        raise ValidationError(errors)
    return text


def answer_note(reference: str, text: str) -> str:
    note = f"Answer for {reference}: {text}"
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1] + "\u2026"
    return note


def store_answer_files(
    *,
    actor: Any,
    customer: Customer,
    uploads: Sequence[UploadedFile[bytes]],
    note: str,
) -> list[Document]:
    return [
        document_upload(
            actor=actor,
            upload=upload,
            document_type=DocumentType.OTHER,
            customer=customer,
            description=note,
        )
        for upload in uploads
    ]


def history_reason(text: str) -> str:
    return f"Customer answered online: {text[:200]}"
