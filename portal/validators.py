"""Checks on uploaded documents: size, and content sniffed from the bytes
(the browser's declared type and the file name are not trusted)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

import filetype

EMPTY_FILE = "The file is empty."
TOO_LARGE = "The file is {size}; the largest file we accept is {limit}."
WRONG_TYPE = "{name} is not an accepted file type. Upload one of: {allowed}."
MISMATCHED_TYPE = (
    "{name} looks like a {actual} file but is named as {declared}; "
    "upload the original file."
)


def sniff_content_type(upload: UploadedFile) -> str | None:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_document_file(upload: UploadedFile) -> str:
    """Return the sniffed content type, or raise ValidationError with the reason."""
    allowed: dict[str, str] = settings.PORTAL_DOCUMENT_CONTENT_TYPES
    limit: int = settings.PORTAL_DOCUMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError(EMPTY_FILE, code="empty")
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE.format(
                size=filesizeformat(upload.size), limit=filesizeformat(limit)
            ),
            code="too_large",
        )
    actual = sniff_content_type(upload)
    if actual not in allowed:
        raise ValidationError(
            WRONG_TYPE.format(name=upload.name, allowed=", ".join(allowed.values())),
            code="wrong_type",
        )
    declared = getattr(upload, "content_type", None)
    if declared and declared != actual and declared in allowed:
        raise ValidationError(
            MISMATCHED_TYPE.format(
                name=upload.name, actual=allowed[actual], declared=allowed[declared]
            ),
            code="mismatched_type",
        )
    return actual
