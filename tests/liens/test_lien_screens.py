"""The lien back office: list, page, workflow buttons only where the
predicate allows, refusals in the predicate's words, the register download."""

from __future__ import annotations

import html
from datetime import date

from django.urls import reverse

import pytest
import time_machine

from liens.choices import LienStatus
from liens.models import Lien
from portal.audit import audit_context
from tests.factories.liens_liens import lien_to_record, loan_on_property, recorded_lien

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_lien_list_and_its_status_filter(client, staff_alice):
    recorded_lien(staff_alice, number="L-1")
    lien_to_record(staff_alice, number="L-2", account_number="100002")
    client.force_login(staff_alice)
    page = client.get(reverse("liens:index"))
    assert page.status_code == 200
    assert "L-1" in text(page) and "L-2" in text(page)
    assert "$10,000.00" in text(page)
    filtered = client.get(reverse("liens:index"), {"status": "to_record"})
    assert filtered.status_code == 200
    assert "L-2" in text(filtered) and "L-1" not in text(filtered)


def test_a_lien_to_record_offers_record_only(client, staff_alice):
    lien = lien_to_record(staff_alice)
    client.force_login(staff_alice)
    page = client.get(reverse("lien_page", args=[lien.pk]))
    assert page.status_code == 200
    body = text(page)
    assert reverse("lien_record", args=[lien.pk]) in body
    assert reverse("lien_prepare_satisfaction", args=[lien.pk]) not in body
    assert reverse("lien_satisfy", args=[lien.pk]) not in body
    assert "Not yet recorded." in body
    assert "Carol Jensen" in body


def test_a_cashier_sees_the_lien_without_buttons(client, staff_alice, cashier_casey):
    lien = lien_to_record(staff_alice)
    client.force_login(cashier_casey)
    page = client.get(reverse("lien_page", args=[lien.pk]))
    assert page.status_code == 200
    assert reverse("lien_record", args=[lien.pk]) not in text(page)


def test_recording_through_the_form_shows_the_facts_in_words(client, staff_alice):
    lien = lien_to_record(staff_alice)
    client.force_login(staff_alice)
    url = reverse("lien_record", args=[lien.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"recording_county": "Marion", "recorded_on": "2026-01-15"})
    assert bad.status_code == 200
    assert "Give the instrument number, or the book and page." in text(bad)
    done = client.post(
        url,
        {
            "recording_county": "Marion",
            "book": "1234",
            "page": "56",
            "recorded_on": "2026-01-15",
            "position": "1",
        },
        follow=True,
    )
    assert done.status_code == 200
    assert (
        "Recorded in Marion County on January 15, 2026 in book 1234, page 56, "
        "in position 1." in text(done)
    )
    lien.refresh_from_db()
    assert lien.status == LienStatus.RECORDED


def test_recording_twice_is_refused_with_the_predicates_words(client, staff_alice):
    lien = recorded_lien(staff_alice)
    client.force_login(staff_alice)
    response = client.post(
        reverse("lien_record", args=[lien.pk]),
        {
            "recording_county": "Polk",
            "instrument_number": "X",
            "recorded_on": "2026-02-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert f"Lien {lien.reference} is recorded; it can't be recorded from there." in (
        text(response)
    )


def test_preparing_a_satisfaction_with_a_balance_is_refused_not_a_500(
    client, staff_alice
):
    lien = recorded_lien(staff_alice)
    client.force_login(staff_alice)
    page = client.get(reverse("lien_page", args=[lien.pk]))
    assert reverse("lien_prepare_satisfaction", args=[lien.pk]) not in text(page)
    response = client.post(
        reverse("lien_prepare_satisfaction", args=[lien.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Loan L-1 still has a balance" in text(response)


def test_a_paid_off_loans_lien_goes_through_confirmation_then_satisfaction(
    client, staff_alice
):
    lien = recorded_lien(staff_alice)
    loan = lien.loan
    loan.status, loan.paid_off_on = "paid_off", date(2026, 3, 10)
    with audit_context(reason="test"):
        loan.save(update_fields=["status", "paid_off_on"])
    client.force_login(staff_alice)
    page = client.get(reverse("lien_page", args=[lien.pk]))
    assert reverse("lien_prepare_satisfaction", args=[lien.pk]) in text(page)
    confirm = client.get(reverse("lien_prepare_satisfaction", args=[lien.pk]))
    assert confirm.status_code == 200
    assert "was paid off on March 10, 2026" in text(confirm)
    done = client.post(
        reverse("lien_prepare_satisfaction", args=[lien.pk]), follow=True
    )
    assert done.status_code == 200
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFACTION_PENDING
    assert f"satisfaction-{lien.reference}.pdf" in text(done)
    assert reverse("lien_satisfy", args=[lien.pk]) in text(done)
    satisfied = client.post(
        reverse("lien_satisfy", args=[lien.pk]),
        {"satisfaction_instrument_number": "2026-009876", "satisfied_on": "2026-03-18"},
        follow=True,
    )
    assert satisfied.status_code == 200
    lien.refresh_from_db()
    assert lien.status == LienStatus.SATISFIED
    assert "March 18, 2026 as instrument 2026-009876" in text(satisfied)


def test_create_lien_on_the_property_page_for_a_loan_without_one(client, staff_alice):
    loan = loan_on_property(parcel_id="12-345-678")
    client.force_login(staff_alice)
    page = client.get(reverse("properties:inspect", args=[loan.parcel_id]))
    assert page.status_code == 200
    url = reverse("lien_create", args=[loan.pk])
    assert url in text(page)
    assert client.get(url).status_code == 200
    created = client.post(url, follow=True)
    assert created.status_code == 200
    lien = Lien.objects.get(loan=loan)
    assert lien.status == LienStatus.TO_RECORD
    page = client.get(reverse("properties:inspect", args=[loan.parcel_id]))
    assert url not in text(page)
    assert lien.reference in text(page)


def test_payoff_request_pages_render(client, staff_alice):
    lien = recorded_lien(staff_alice)
    client.force_login(staff_alice)
    url = reverse("lien_payoff_request_new", args=[lien.loan_id])
    assert client.get(url).status_code == 200
    done = client.post(
        url,
        {
            "title_company": "Cascade Title Co.",
            "contact_name": "Dana Reyes",
            "email": "dana@cascadetitle.example",
            "closing_on": "2026-03-27",
            "payoff_on": "2026-03-27",
        },
        follow=True,
    )
    assert done.status_code == 200
    assert "Cascade Title Co." in text(done)
    assert "payoff-letter-L-1-20260327.pdf" in text(done)
    listing = client.get(reverse("lien_payoff_requests:index"))
    assert listing.status_code == 200 and "Cascade Title Co." in text(listing)


def test_the_register_downloads_as_xlsx(client, staff_alice):
    recorded_lien(staff_alice)
    client.force_login(staff_alice)
    form = client.get(reverse("lien_register_download"))
    assert form.status_code == 200
    response = client.get(
        reverse("lien_register_download"), {"start": "2026-01-01", "end": "2026-03-20"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="lien-register-2026-01-01-2026-03-20.xlsx"'
    )
    inverted = client.get(
        reverse("lien_register_download"), {"start": "2026-03-01", "end": "2026-01-01"}
    )
    assert "The end of the period must not be before its start." in text(inverted)


def test_the_satisfaction_pdf_downloads_from_the_lien_page(client, staff_alice):
    from liens.services.liens import lien_prepare_satisfaction

    lien = recorded_lien(staff_alice)
    loan = lien.loan
    loan.status, loan.paid_off_on = "paid_off", date(2026, 3, 10)
    with audit_context(reason="test"):
        loan.save(update_fields=["status", "paid_off_on"])
    lien = lien_prepare_satisfaction(actor=staff_alice, lien=lien)
    client.force_login(staff_alice)
    url = reverse("admin_document_file", args=[lien.satisfaction_document_id])
    assert url in text(client.get(reverse("lien_page", args=[lien.pk])))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
