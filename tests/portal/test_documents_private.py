"""Customer documents are private: stored under a random name in a storage
with no URL, and streamed only to the customer who owns them (on the public
site, /account/documents/<id>/) and to staff who may view documents (in the
back office, /admin/customer-documents/<id>/file/). Everyone else gets 404,
not 403, so a stranger can't even learn that a document number exists. A
role without "view document" (the cashier) is everyone else."""

import re
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

import pytest

from portal import roles
from portal.models import Document
from portal.services import document_upload
from tests.factories import CustomerFactory, UserFactory
from tests.factories.files import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def carols_document(customer_carol, staff_alice):
    return document_upload(
        actor=staff_alice,
        upload=upload("income-proof.pdf", PDF, "application/pdf"),
        document_type="proof_of_income",
        customer=customer_carol.customer,
    )


@pytest.fixture
def customer_erin(db):
    """Another customer, with her own log-in and customer record."""
    user = UserFactory(username="erin")
    user.groups.add(Group.objects.get(name=roles.CUSTOMER))
    CustomerFactory(first_name="Erin", last_name="Okafor", user=user)
    return user


def file_url(document):
    """The customer's address of a document."""
    return reverse("document_file", args=[document.pk])


def staff_url(document):
    """The back office's address of a document."""
    return reverse("admin_document_file", args=[document.pk])


def test_customers_and_staff_each_have_their_address(carols_document):
    pk = carols_document.pk
    assert (file_url(carols_document), staff_url(carols_document)) == (
        f"/account/documents/{pk}/",
        f"/admin/customer-documents/{pk}/file/",
    )


def test_anonymous_visitors_get_404_at_both_addresses(client, carols_document):
    assert client.get(file_url(carols_document)).status_code == 404
    assert client.get(staff_url(carols_document)).status_code == 404


def test_another_customer_gets_404_at_both_addresses(
    client, carols_document, customer_erin
):
    client.force_login(customer_erin)
    assert client.get(file_url(carols_document)).status_code == 404
    assert client.get(staff_url(carols_document)).status_code == 404


def test_the_owning_customer_gets_the_file(client, carols_document, customer_carol):
    client.force_login(customer_carol)
    response = client.get(file_url(carols_document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_staff_who_may_view_documents_get_the_file_in_the_back_office(
    client, carols_document, staff_alice
):
    client.force_login(staff_alice)
    response = client.get(staff_url(carols_document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_staff_get_404_at_the_customers_address(client, carols_document, staff_alice):
    client.force_login(staff_alice)
    assert client.get(file_url(carols_document)).status_code == 404


def test_the_owner_gets_404_at_the_back_office_address(
    client, carols_document, customer_carol
):
    client.force_login(customer_carol)
    assert client.get(staff_url(carols_document)).status_code == 404


def test_the_auditor_reads_documents_too(client, carols_document, auditor_audrey):
    client.force_login(auditor_audrey)
    assert client.get(staff_url(carols_document)).status_code == 200


def test_a_cashier_without_view_document_gets_404(
    client, carols_document, cashier_casey
):
    assert not cashier_casey.has_perm("portal.view_document")
    client.force_login(cashier_casey)
    assert client.get(staff_url(carols_document)).status_code == 404


def test_a_user_with_no_role_gets_404(client, carols_document, outsider_dave):
    client.force_login(outsider_dave)
    assert client.get(staff_url(carols_document)).status_code == 404


def test_a_document_number_that_does_not_exist_gets_404(client, staff_alice):
    client.force_login(staff_alice)
    assert client.get("/admin/customer-documents/999999/file/").status_code == 404


def test_a_record_whose_file_is_gone_gets_404_not_500(
    client, carols_document, staff_alice
):
    carols_document.file.storage.delete(carols_document.file.name)
    client.force_login(staff_alice)
    assert client.get(staff_url(carols_document)).status_code == 404


def test_only_reading_is_allowed(client, carols_document, staff_alice):
    client.force_login(staff_alice)
    assert client.post(staff_url(carols_document)).status_code == 405


def test_a_pdf_opens_inline_with_nosniff_and_no_caching(
    client, carols_document, customer_carol
):
    client.force_login(customer_carol)
    response = client.get(file_url(carols_document))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="income-proof.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_picture_opens_inline(client, customer_carol, staff_alice):
    photo = document_upload(
        actor=staff_alice,
        upload=upload("meter.png", image_bytes("PNG"), "image/png"),
        document_type="photo",
        customer=customer_carol.customer,
    )
    client.force_login(customer_carol)
    response = client.get(file_url(photo))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="meter.png"'


def test_any_other_type_is_downloaded_under_its_original_name_encoded(
    client, customer_carol, staff_alice
):
    sheet = Document(
        document_type="other",
        original_name='rates "2026" für Jensen.csv',
        content_type="text/csv",
        size_bytes=4,
        customer=customer_carol.customer,
    )
    sheet.file.save("ignored.csv", ContentFile(b"a,b\n"), save=True)
    client.force_login(customer_carol)
    response = client.get(file_url(sheet))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''rates%20%222026%22%20f%C3%BCr%20Jensen.csv"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_saved_name_always_ends_in_the_real_type(
    client, customer_carol, staff_alice
):
    odd = document_upload(
        actor=staff_alice,
        upload=upload("statement.exe", PDF, "application/octet-stream"),
        document_type="other",
        customer=customer_carol.customer,
    )
    client.force_login(customer_carol)
    response = client.get(file_url(odd))
    assert response["Content-Disposition"] == 'inline; filename="statement.exe.pdf"'


def test_the_stored_name_is_random_with_the_detected_extension(carols_document):
    assert re.fullmatch(
        r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", carols_document.file.name
    )
    assert carols_document.original_name == "income-proof.pdf"


def test_the_stored_name_ignores_the_uploaded_name_and_extension(
    customer_carol, staff_alice
):
    photo = document_upload(
        actor=staff_alice,
        upload=upload("invoice.jpg.png", image_bytes("JPEG"), "image/jpeg"),
        document_type="invoice",
        customer=customer_carol.customer,
    )
    assert "invoice" not in photo.file.name
    assert photo.file.name.endswith(".jpg")


def test_files_live_under_private_media_root_not_media_root(carols_document, settings):
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / carols_document.file.name
    assert stored.read_bytes() == PDF
    assert not (Path(settings.MEDIA_ROOT) / carols_document.file.name).exists()


def test_the_private_storage_has_no_url(carols_document):
    with pytest.raises(NotImplementedError, match="no URL"):
        carols_document.file.url  # noqa: B018
