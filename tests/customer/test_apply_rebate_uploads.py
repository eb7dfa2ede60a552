"""Invoices and photos are uploaded at the documents step through
portal.services.document_upload: a renamed executable, an empty file, a web
page and a file over the limit are refused on the file field and nothing is
stored; an accepted file is listed, ticks the checklist and can be removed."""

from __future__ import annotations

from django.test import override_settings

import pytest
import time_machine

from portal import validators
from portal.models import Document
from tests.customer.rebate_apply_setup import (
    NOON,
    PDF,
    client_for,
    heat_program,
    linked_customer,
    step_url,
    through_measures,
    upload_invoice,
)
from tests.factories.files import upload

pytestmark = pytest.mark.django_db

ALLOWED = "PDF, JPEG image, PNG image"


@pytest.fixture(autouse=True)
def _on_june_15():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def at_documents():
    carol = linked_customer("carol")
    client = client_for(carol)
    draft = through_measures(client, heat_program(), carol.customer.accounts.get())
    return client, draft


def refused(client, draft, name, content, content_type="application/pdf"):
    response = client.post(
        step_url(draft, "documents"),
        {
            "action": "upload",
            "document_type": "invoice",
            "file": upload(name, content, content_type),
        },
    )
    assert response.status_code == 200
    assert not Document.objects.exists()
    assert not draft.documents.exists()
    return dict(response.context["form"].errors)


def test_a_renamed_executable_is_refused_on_the_file(at_documents):
    client, draft = at_documents
    assert refused(client, draft, "invoice.pdf", b"MZ\x90\x00" * 50) == {
        "file": [validators.WRONG_TYPE.format(name="invoice.pdf", allowed=ALLOWED)]
    }


def test_an_empty_file_is_refused_on_the_file(at_documents):
    client, draft = at_documents
    assert refused(client, draft, "invoice.pdf", b"") == {
        "file": ["The file is empty; choose the file again."]
    }


def test_a_web_page_is_refused_whatever_it_contains(at_documents):
    client, draft = at_documents
    assert refused(client, draft, "invoice.html", PDF, "text/html") == {
        "file": [
            validators.FORBIDDEN_NAME.format(
                name="invoice.html", suffix=".html", allowed=ALLOWED
            )
        ]
    }


@override_settings(PORTAL_DOCUMENT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_with_the_sizes(at_documents):
    client, draft = at_documents
    assert refused(client, draft, "invoice.pdf", PDF + b"\0" * 2000) == {
        "file": [
            validators.TOO_LARGE.format(
                size=f"{(len(PDF) + 2000) / 1024:.1f}\xa0KB", limit="1000\xa0bytes"
            )
        ]
    }


def test_an_accepted_invoice_is_listed_ticks_the_checklist_and_can_be_removed(
    at_documents,
):
    client, draft = at_documents
    before = client.get(step_url(draft, "documents")).context["checklist"]
    assert before == [{"label": "Invoice", "done": False}]

    response = upload_invoice(client, draft, "march-invoice.pdf")
    assert response["Location"] == step_url(draft, "documents")
    [document] = draft.documents.all()
    assert (document.document_type, document.customer, document.content_type) == (
        "invoice",
        draft.customer,
        "application/pdf",
    )
    page = client.get(step_url(draft, "documents"))
    assert page.context["checklist"] == [{"label": "Invoice", "done": True}]
    assert "march-invoice.pdf" in page.content.decode()

    client.post(
        step_url(draft, "documents"), {"action": "remove", "document": document.pk}
    )
    assert not draft.documents.exists()
