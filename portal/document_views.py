"""The one way to a customer document's file: `document_file` streams it to
whoever `can_view_document` allows, and answers 404 to everyone else, so a
stranger can't even learn that a document number exists.

The view is mounted twice, once per audience:

- `/account/documents/<pk>/` (name `document_file`): the customer who owns
  the document, on the public site;
- `/admin/customer-documents/<pk>/file/` (name `admin_document_file`): staff
  with "Can view document", inside the back office, so whatever guards the
  back office (two-factor authentication for money roles, a proxy that only
  lets the office network reach /admin/) guards the documents too. The back
  office's pages link here.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.models import Document
from portal.private_storage import extensions_for

NOT_FOUND = "No such document."
# Shown in the browser: PDFs and raster pictures only (never SVG, which can
# carry script). Everything else is downloaded, as application/octet-stream.
INLINE_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}
)


def can_view_document(user: Any, document: Document, *, staff: bool) -> bool:
    """In the back office (`staff`), users who may view documents see every
    one; on the public site a customer sees the documents filed under their
    own customer record. Nobody else sees any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if staff:
        return bool(user.has_perm("portal.view_document"))
    customer = document.customer
    return customer is not None and customer.user_id == user.pk


def admin_document_url(document: Document) -> str:
    return reverse("admin_document_file", args=[document.pk])


def download_name(document: Document) -> str:
    """The uploaded name, for the browser to save under: without control
    characters or path separators, and ending in an extension that fits the
    file's real type (`statement.exe` holding a PDF saves as
    `statement.exe.pdf`)."""
    name = "".join(
        "_" if ch in "/\\" else ch
        for ch in document.original_name
        if unicodedata.category(ch)[0] != "C"
    ).strip(" .")
    extensions = extensions_for(document.content_type)
    if not name:
        name = f"document-{document.pk}"
    if not name.lower().endswith(extensions):
        name += extensions[0]
    return name


@require_safe
def document_file(request: Any, pk: int, *, staff: bool = False) -> FileResponse:
    document = Document.objects.select_related("customer").filter(pk=pk).first()
    if document is None or not can_view_document(request.user, document, staff=staff):
        raise Http404(NOT_FOUND)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        # ValueError: the record has no file at all.
        raise Http404(NOT_FOUND) from None
    inline = document.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(document),
        content_type=document.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
