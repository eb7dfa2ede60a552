"""Shared fixtures of the letters, statements and coupon-book tests: the
office (Settings › Office) and Carol Jensen's loan L-1 with her address."""

from __future__ import annotations

import io

from wagtail.models import Site

import pytest
from pypdf import PdfReader

from portal.models import OfficeSettings

# What a test module star-imports (pytest finds fixtures in its namespace).
__all__ = ["loan", "office"]


@pytest.fixture
def office(db):
    return OfficeSettings.objects.create(
        site=Site.objects.get(is_default_site=True),
        utility_name="Riverton Municipal Utilities",
        office_name="Customer Finance Office",
        line1="100 Main St",
        city="Riverton",
        state="NY",
        postal_code="12180",
        phone="(518) 555-0100",
        email="finance@riverton.example",
        hours="Monday to Friday, 8:00 a.m. to 4:30 p.m.",
        payable_to="Riverton Municipal Utilities",
        remit_line1="PO Box 4100",
        remit_city="Riverton",
        remit_state="NY",
        remit_postal_code="12181",
    )


@pytest.fixture
def loan(book, office):
    """$10,000 at 5% over 60 months (installment $188.71), first due
    2026-02-01, disbursed 2026-01-01, nothing paid; account 100001."""
    loan = book("L-1")
    customer = loan.customer
    customer.mailing_line1 = "12 Maple St"
    customer.mailing_city = "Riverton"
    customer.mailing_state = "NY"
    customer.mailing_postal_code = "12180"
    customer.save()
    account = loan.account
    account.line1 = "40 Oak Ave"
    account.city = "Riverton"
    account.state = "NY"
    account.postal_code = "12180"
    account.save()
    return loan


def pdf_text(pdf: bytes) -> str:
    """The PDF's words, spaces normalised, pages joined."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)
