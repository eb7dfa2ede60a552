"""Checks on uploaded documents: the name, the size, and the content, read
from the bytes and then parsed whole (the browser's declared type and the
file name are not trusted).

A file passes when its name is not a web page's or a script's, its first
bytes say one of the accepted types (settings.PORTAL_DOCUMENT_CONTENT_TYPES),
nothing near its start is web page markup, and the whole file then parses as
that type: a PDF opens with pypdf and has pages, an image decodes with Pillow.
A file that only *starts* like a PDF (`%PDF-1.4` followed by HTML) is refused.
"""

from __future__ import annotations

import re
import warnings
from pathlib import PurePosixPath

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
FORBIDDEN_NAME = (
    "{name} is named as a web page or script ({suffix}), which we never "
    "accept, whatever it contains. Upload one of: {allowed}."
)
WEB_MARKUP = (
    "{name} contains web page code ({marker}), which a real {kind} never "
    "does; upload the original file."
)
NOT_A_PDF = (
    "{name} starts like a PDF but is not a readable PDF document; "
    "upload the original file."
)
PDF_WITHOUT_PAGES = "{name} is a PDF without any pages; upload the document itself."
PDF_PASSWORD = "{name} is protected by a password; upload a copy without one."
NOT_AN_IMAGE = (
    "{name} starts like a {kind} but the picture can't be read; "
    "upload the original file."
)
TOO_MANY_PIXELS = (
    "{name} has more pixels than we accept ({limit:,}); upload a smaller scan or photo."
)

# Names a browser or a desktop would treat as a page or a script. Refused
# whatever the content: a customer document is never one of these.
FORBIDDEN_SUFFIXES = frozenset(
    {
        ".htm",
        ".html",
        ".js",
        ".mjs",
        ".shtml",
        ".svg",
        ".svgz",
        ".xht",
        ".xhtml",
    }
)
# How much of the start of a file is searched for web page markup: as much as
# a browser's content sniffing reads (1445 bytes in the WHATWG algorithm; the
# old Internet Explorer looked for tags anywhere in its first 256).
MARKUP_WINDOW = 1445
MARKUP = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|object|embed|svg"
    rb"|img|a\s+href|meta|link|style|base)\b",
    re.IGNORECASE,
)
# Pillow's own decompression-bomb threshold (about 89 million pixels).
MAX_IMAGE_PIXELS = 89_478_485


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes say (magic numbers), or None."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _head(upload: UploadedFile, size: int) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(size)
    upload.seek(position)
    return head


def validate_document_file(upload: UploadedFile) -> str:
    """Return the content type read from the file, or raise ValidationError
    with the reason."""
    allowed: dict[str, str] = settings.PORTAL_DOCUMENT_CONTENT_TYPES
    limit: int = settings.PORTAL_DOCUMENT_MAX_BYTES
    name = upload.name or ""
    # Desktops drop trailing dots and spaces: "invoice.html." is "invoice.html".
    suffix = PurePosixPath(name.lower().rstrip(". ")).suffix
    if suffix in FORBIDDEN_SUFFIXES:
        raise ValidationError(
            FORBIDDEN_NAME.format(
                name=name, suffix=suffix, allowed=", ".join(allowed.values())
            ),
            code="forbidden_name",
        )
    if not upload.size:
        raise ValidationError(EMPTY_FILE, code="empty")
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE.format(
                size=filesizeformat(upload.size), limit=filesizeformat(limit)
            ),
            code="too_large",
        )
    head = _head(upload, 8192)
    actual = sniff_content_type(head)
    if actual not in allowed:
        raise ValidationError(
            WRONG_TYPE.format(name=name, allowed=", ".join(allowed.values())),
            code="wrong_type",
        )
    declared = getattr(upload, "content_type", None)
    if declared and declared != actual and declared in allowed:
        raise ValidationError(
            MISMATCHED_TYPE.format(
                name=name, actual=allowed[actual], declared=allowed[declared]
            ),
            code="mismatched_type",
        )
    if found := MARKUP.search(head[:MARKUP_WINDOW]):
        marker = found.group(0).decode("ascii", "replace").lower()
        raise ValidationError(
            WEB_MARKUP.format(name=name, marker=f"{marker}>", kind=allowed[actual]),
            code="web_markup",
        )
    position = upload.tell()
    try:
        if actual == "application/pdf":
            _check_pdf(upload, name)
        elif actual.startswith("image/"):
            _check_image(upload, name, actual, allowed[actual])
    finally:
        upload.seek(position)
    return actual


def _check_pdf(upload: UploadedFile, name: str) -> None:
    """The whole file must parse as a PDF with at least one page."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import FileNotDecryptedError

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        # Many statements carry an owner password only: they open without
        # one and are fine. One that needs a password to open is not.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(PDF_PASSWORD.format(name=name), code="pdf_password")
        # Walks the page tree and loads every page's dictionary.
        count = sum(1 for _page in reader.pages)
    except ValidationError:
        raise
    except FileNotDecryptedError:
        raise ValidationError(
            PDF_PASSWORD.format(name=name), code="pdf_password"
        ) from None
    except Exception:
        # pypdf raises its own errors and, on hostile input, plain ones
        # (ValueError, KeyError, RecursionError, ...): all mean "not a PDF".
        raise ValidationError(NOT_A_PDF.format(name=name), code="not_a_pdf") from None
    if count == 0:
        raise ValidationError(
            PDF_WITHOUT_PAGES.format(name=name), code="pdf_without_pages"
        )


def _check_image(upload: UploadedFile, name: str, content_type: str, kind: str) -> None:
    """The whole picture must decode, in the format its first bytes say."""
    from PIL import Image

    Image.init()
    formats = [fmt for fmt, mime in Image.MIME.items() if mime == content_type]
    too_many_pixels = ValidationError(
        TOO_MANY_PIXELS.format(name=name, limit=MAX_IMAGE_PIXELS),
        code="too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow warns above its limit and raises at twice it; the size is
        # checked here instead, before anything is decoded.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                image.verify()
            # verify() leaves the image unusable; decode it for real.
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                image.load()
        except ValidationError:
            raise
        except Image.DecompressionBombError:
            raise too_many_pixels from None
        except Exception:  # any decoder failure means "not a picture"
            raise ValidationError(
                NOT_AN_IMAGE.format(name=name, kind=kind), code="not_an_image"
            ) from None
