"""The contractor's proposal: checked by its content and size (never its
name) through portal.services.document_upload; a refused file is a message
on the field and saves nothing; a new file replaces the old one."""

from __future__ import annotations

from django.test import override_settings

import pytest

from portal.models import Document
from tests.customer.apply_loan_setup import (
    Applicant,
    project_answers,
    proposal_pdf,
    start,
    step_url,
)
from tests.factories.files import image_bytes, upload

pytestmark = pytest.mark.django_db

# The start of a Windows program: "MZ", then the DOS stub.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def applicant():
    return Applicant()


def post_project(client, draft, file):
    return client.post(step_url(draft, "project"), project_answers(proposal=file))


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            upload("proposal.pdf", EXE, "application/pdf"),
            "proposal.pdf is not an accepted file type. "
            "Upload one of: PDF, JPEG image, PNG image.",
        ),
        (upload("proposal.pdf", b"", "application/pdf"), "The file is empty."),
    ],
    ids=["program-renamed-pdf", "empty"],
)
def test_a_refused_file_is_a_message_on_the_field_and_saves_nothing(
    applicant, file, message
):
    client = applicant.client()
    draft = start(client, applicant)
    response = post_project(client, draft, file)
    assert response.status_code == 200
    assert response.context["form"].errors == {"proposal": [message]}
    assert not Document.objects.exists()
    draft.refresh_from_db()
    assert "project" not in draft.data
    assert draft.step == "project"
    assert not draft.documents.exists()


@override_settings(PORTAL_DOCUMENT_MAX_BYTES=200)
def test_an_oversize_file_is_refused_with_the_limit(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    pdf = proposal_pdf()
    assert pdf.size > 200
    response = post_project(client, draft, pdf)
    errors = response.context["form"].errors["proposal"]
    assert len(errors) == 1
    assert errors[0].startswith("The file is ")
    assert errors[0].endswith("; the largest file we accept is 200\xa0bytes.")
    assert not Document.objects.exists()


def test_a_refused_file_is_refused_when_saving_for_later_too(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    response = client.post(
        step_url(draft, "project"),
        project_answers(proposal=upload("p.pdf", EXE, "application/pdf"), later="1"),
    )
    assert list(response.context["form"].errors) == ["proposal"]
    assert not Document.objects.exists()


def test_a_proposal_is_kept_as_the_customers_document(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    assert post_project(client, draft, proposal_pdf()).status_code == 302
    document = Document.objects.get()
    assert document.customer == applicant.customer
    assert document.uploaded_by == applicant.user
    assert document.content_type == "application/pdf"
    draft.refresh_from_db()
    assert draft.data["project"]["proposal"] == document.pk
    assert list(draft.documents.all()) == [document]


def test_saving_the_step_again_without_a_file_keeps_the_proposal(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    post_project(client, draft, proposal_pdf())
    kept = Document.objects.get()
    client.post(step_url(draft, "project"), project_answers(contractor_name="Ace"))
    draft.refresh_from_db()
    assert draft.data["project"]["proposal"] == kept.pk
    assert draft.data["project"]["contractor_name"] == "Ace"
    page = client.get(step_url(draft, "project")).content.decode()
    assert "Proposal on file: <strong>proposal.pdf</strong>" in page


def test_a_new_file_replaces_the_proposal(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    post_project(client, draft, proposal_pdf())
    first = Document.objects.get()
    photo = upload("quote.png", image_bytes("PNG"), "image/png")
    assert post_project(client, draft, photo).status_code == 302
    draft.refresh_from_db()
    second = Document.objects.exclude(pk=first.pk).get()
    assert second.original_name == "quote.png"
    assert draft.data["project"]["proposal"] == second.pk
    assert list(draft.documents.all()) == [second]


@override_settings(PORTAL_DOCUMENT_MAX_BYTES=10 * 1024 * 1024)
def test_the_field_says_which_files_are_accepted_and_how_large(applicant):
    client = applicant.client()
    draft = start(client, applicant)
    form = client.get(step_url(draft, "project")).context["form"]
    assert form.fields["proposal"].help_text == (
        "A PDF, JPEG or PNG file of the contractor's written proposal, "
        "up to 10.0\xa0MB."
    )
