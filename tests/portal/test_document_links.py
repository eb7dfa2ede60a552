"""Every back-office page that offers a customer document links to the
checked document view (/admin/customer-documents/<id>/file/), never to a
storage URL."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

from loans.services import applications as apps
from loans.services import closing
from portal.services import document_upload
from tests.factories import CustomerFactory, LoanApplicationFactory
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(staff_alice):
    return document_upload(
        actor=staff_alice,
        upload=upload("income-proof.pdf", pdf_bytes(), "application/pdf"),
        document_type="proof_of_income",
        customer=CustomerFactory(),
    )


def test_the_back_office_document_list_links_each_file(client, staff_alice, document):
    client.force_login(staff_alice)
    page = client.get(reverse("customer_documents:index")).content.decode()
    assert f'href="/admin/customer-documents/{document.pk}/file/"' in page


def test_the_back_office_document_page_links_its_file(client, staff_alice, document):
    client.force_login(staff_alice)
    page = client.get(
        reverse("customer_documents:inspect", args=[document.pk])
    ).content.decode()
    assert (
        f'<a href="/admin/customer-documents/{document.pk}/file/">Open income-proof.pdf</a>'
        in page
    )


def test_the_loan_page_links_the_agreement_through_an_authorising_view(
    client, staff_alice, supervisor_bob
):
    application = LoanApplicationFactory(prepared_by=staff_alice)
    apps.application_submit(actor=staff_alice, application=application)
    apps.application_start_review(actor=staff_alice, application=application)
    apps.application_approve(actor=supervisor_bob, application=application)
    loan = closing.loan_create_from_application(
        actor=staff_alice, application=application, first_due_date=date(2026, 3, 1)
    )
    agreement = closing.agreement_generate(actor=staff_alice, loan=loan)
    client.force_login(staff_alice)
    page = client.get(reverse("loans:inspect", args=[loan.pk])).content.decode()
    # The loans view streams it after checking loans.view_loan.
    assert f'href="/admin/loans-actions/loans/{loan.pk}/agreement/"' in page
    assert agreement.file.name.endswith(".pdf")
    assert "agreement" not in agreement.file.name


def test_no_template_links_to_a_files_storage_url():
    apps_with_templates = ["portal", "loans", "programs", "liens", "regulatory_reports"]
    roots = [Path(settings.BASE_DIR) / app for app in apps_with_templates]
    offenders = [
        str(template.relative_to(settings.BASE_DIR))
        for root in roots
        for template in root.rglob("*.html")
        if "file.url" in template.read_text()
    ]
    assert offenders == []
