from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

import pytest

from portal import validators
from portal.models import Document
from portal.services import document_upload
from tests.factories import CustomerFactory
from tests.factories.files import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

# Real files: the check parses the whole PDF and decodes the whole picture.
PDF = pdf_bytes()
PNG = image_bytes("PNG")


def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_pdf_is_stored_with_its_sniffed_type_and_size(staff_alice):
    doc = document_upload(
        actor=staff_alice,
        upload=upload("proposal.pdf", PDF, "application/pdf"),
        document_type="contractor_proposal",
        customer=CustomerFactory(),
    )
    assert (doc.content_type, doc.size_bytes) == ("application/pdf", len(PDF))
    assert doc.history.get().history_user == staff_alice


def test_a_wrong_type_is_refused_with_a_clear_message_and_nothing_stored(staff_alice):
    with pytest.raises(ValidationError) as caught:
        document_upload(
            actor=staff_alice,
            upload=upload("run.exe", b"MZ\x90\x00" * 50, "application/pdf"),
            document_type="invoice",
        )
    assert caught.value.messages == [
        validators.WRONG_TYPE.format(
            name="run.exe", allowed="PDF, JPEG image, PNG image"
        )
    ]
    assert Document.objects.count() == 0


def test_a_file_renamed_to_pdf_is_refused(staff_alice):
    with pytest.raises(ValidationError) as caught:
        document_upload(
            actor=staff_alice,
            upload=upload("scan.pdf", PNG, "application/pdf"),
            document_type="invoice",
        )
    assert caught.value.code == "mismatched_type"


@override_settings(PORTAL_DOCUMENT_MAX_BYTES=1024)
def test_an_oversized_file_is_refused_with_the_limit_in_the_message(staff_alice):
    with pytest.raises(ValidationError) as caught:
        document_upload(
            actor=staff_alice,
            # The size is checked before the content is read.
            upload=upload("big.pdf", b"0" * 2048, "application/pdf"),
            document_type="invoice",
        )
    assert caught.value.messages == [
        "The file is 2.0\xa0KB; the largest file we accept is 1.0\xa0KB."
    ]
    assert Document.objects.count() == 0


def test_an_empty_file_is_refused(staff_alice):
    with pytest.raises(ValidationError, match="The file is empty"):
        document_upload(
            actor=staff_alice,
            upload=upload("e.pdf", b"", "application/pdf"),
            document_type="invoice",
        )


def test_the_back_office_upload_form_shows_the_reason(client, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("customer_documents:add"),
        {
            "document_type": "invoice",
            "description": "",
            "file": upload("run.exe", b"MZ\x90\x00" * 50, "application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert "run.exe is not an accepted file type" in response.content.decode()
    assert Document.objects.count() == 0


def test_the_back_office_upload_form_stores_a_good_file(client, staff_alice):
    client.force_login(staff_alice)
    response = client.post(
        reverse("customer_documents:add"),
        {
            "document_type": "invoice",
            "description": "Furnace invoice",
            "file": upload("invoice.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.uploaded_by == staff_alice
    assert doc.history.get().history_change_reason == "Document uploaded: invoice.pdf"
