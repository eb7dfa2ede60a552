"""Where customer files live: a storage with no URL, outside MEDIA_ROOT.

Income proof, invoices and deeds (`Document.file`) and correspondence as sent
(`Correspondence.rendered_file`) are kept under PRIVATE_MEDIA_ROOT through the
"private" storage alias. No web server serves that folder; the only way to a
file is `portal.document_views.document_file`, which checks who asks.

Files are stored under a random name whose extension comes from the type read
from the content, never from the uploaded name (which is kept, for display,
in `Document.original_name`).
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

# Extensions per content type; the first is the one a stored file gets.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
UNKNOWN_EXTENSION = ".bin"

NO_URL = (
    "Files in the private storage have no URL; link to the document view "
    "(portal.document_views.document_file) instead."
)


def extensions_for(content_type: str) -> tuple[str, ...]:
    """The file name extensions that fit a content type (first: the usual one)."""
    if content_type in EXTENSIONS:
        return EXTENSIONS[content_type]
    guessed = tuple(mimetypes.guess_all_extensions(content_type, strict=True))
    return guessed or (UNKNOWN_EXTENSION,)


def private_file_name(folder: str, content_type: str) -> str:
    """`<folder>/YYYY/MM/<uuid4>.<ext>`: unguessable, and nothing of the
    uploaded name in it."""
    extension = extensions_for(content_type)[0]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def correspondence_upload_to(instance: Any, filename: str) -> str:
    """Correspondence is rendered by the system; its file name only tells the
    type (a letter's `.pdf`), and the stored name is random as well."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return private_file_name("correspondence", content_type)


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PRIVATE_MEDIA_ROOT that has no URL.

    (FileSystemStorage with `base_url=None` would fall back to MEDIA_URL and
    hand out `/media/...` links; this one refuses to make any.) The root is
    read from the setting when first used, so tests can point it elsewhere.
    """

    def __init__(self, location: Any = None, **options: Any) -> None:
        options.pop("base_url", None)
        super().__init__(location=location, **options)
        self._private_location = location

    @property
    def base_location(self) -> Any:
        return self._value_or_setting(
            self._private_location, settings.PRIVATE_MEDIA_ROOT
        )

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise NotImplementedError(NO_URL)


def private_storage() -> Storage:
    """The storage of customer files (the "private" alias in STORAGES). A
    callable, so migrations name it instead of freezing a path into them."""
    return storages["private"]
