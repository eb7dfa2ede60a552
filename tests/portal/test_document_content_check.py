"""The upload check reads the whole file: a PDF must parse as a PDF and a
picture must decode; names of web pages and scripts are refused whatever the
content; the polyglot from the security finding (`%PDF-1.4` + an HTML script)
never gets in."""

import io

from django.core.exceptions import ValidationError
from django.test import override_settings

import pytest
from PIL import Image

from portal.models import Document
from portal.services import document_upload
from portal.validators import validate_document_file
from tests.factories.files import POLYGLOT, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def refusal(name, content, content_type):
    with pytest.raises(ValidationError) as caught:
        validate_document_file(upload(name, content, content_type))
    return caught.value.code, caught.value.messages


def test_a_real_pdf_is_accepted():
    assert (
        validate_document_file(upload("proof.pdf", pdf_bytes(), "application/pdf"))
        == "application/pdf"
    )


def test_a_real_png_is_accepted():
    assert (
        validate_document_file(upload("meter.png", image_bytes("PNG"), "image/png"))
        == "image/png"
    )


def test_a_real_jpeg_is_accepted():
    assert (
        validate_document_file(upload("deed.jpg", image_bytes("JPEG"), "image/jpeg"))
        == "image/jpeg"
    )


def test_the_polyglot_named_invoice_html_is_refused_and_nothing_is_stored(
    staff_alice,
):
    with pytest.raises(ValidationError) as caught:
        document_upload(
            actor=staff_alice,
            upload=upload("invoice.html", POLYGLOT, "text/html"),
            document_type="invoice",
        )
    assert caught.value.messages == [
        "invoice.html is named as a web page or script (.html), which we never "
        "accept, whatever it contains. Upload one of: PDF, JPEG image, PNG image."
    ]
    assert Document.objects.count() == 0


def test_the_polyglot_renamed_to_pdf_is_refused_for_its_web_page_code():
    assert refusal("invoice.pdf", POLYGLOT, "application/pdf") == (
        "web_markup",
        [
            "invoice.pdf contains web page code (<html>), which a real PDF never "
            "does; upload the original file."
        ],
    )


def test_a_file_that_only_starts_like_a_pdf_is_refused():
    assert refusal("scan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf") == (
        "not_a_pdf",
        [
            "scan.pdf starts like a PDF but is not a readable PDF document; "
            "upload the original file."
        ],
    )


def test_html_hidden_past_the_start_still_fails_the_pdf_parse():
    hidden = b"%PDF-1.4\n" + b"%" * 4000 + b"\n" + POLYGLOT[9:]
    assert refusal("invoice.pdf", hidden, "application/pdf")[0] == "not_a_pdf"


@pytest.mark.parametrize(
    "name",
    ["invoice.html", "invoice.htm", "logo.svg", "run.js", "INVOICE.HTML", "a.html."],
)
def test_names_of_web_pages_and_scripts_are_refused_even_with_a_real_pdf_inside(
    name,
):
    code, _ = refusal(name, pdf_bytes(), "application/pdf")
    assert code == "forbidden_name"


def test_a_pdf_without_pages_is_refused():
    assert refusal("blank.pdf", pdf_bytes(pages=0), "application/pdf")[1] == [
        "blank.pdf is a PDF without any pages; upload the document itself."
    ]


def test_a_pdf_that_needs_a_password_is_refused():
    locked = pdf_bytes(user_password="s3cret")
    assert refusal("statement.pdf", locked, "application/pdf")[1] == [
        "statement.pdf is protected by a password; upload a copy without one."
    ]


def test_a_pdf_with_only_an_owner_password_opens_and_is_accepted():
    restricted = pdf_bytes(user_password="")
    assert (
        validate_document_file(upload("bank.pdf", restricted, "application/pdf"))
        == "application/pdf"
    )


def test_a_png_cut_short_is_refused():
    assert refusal("meter.png", image_bytes("PNG")[:-20], "image/png")[1] == [
        "meter.png starts like a PNG image but the picture can't be read; "
        "upload the original file."
    ]


def test_a_png_header_with_nothing_behind_it_is_refused():
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert refusal("meter.png", fake, "image/png")[0] == "not_an_image"


def test_a_picture_over_pillows_pixel_limit_is_refused():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    assert refusal("huge.png", out.getvalue(), "image/png")[1] == [
        "huge.png has more pixels than we accept (89,478,485); "
        "upload a smaller scan or photo."
    ]


@override_settings(PORTAL_DOCUMENT_CONTENT_TYPES={"application/pdf": "PDF"})
def test_the_accepted_types_still_come_from_settings():
    assert refusal("meter.png", image_bytes("PNG"), "image/png")[1] == [
        "meter.png is not an accepted file type. Upload one of: PDF."
    ]
