"""PDF documents for loans (WeasyPrint from HTML templates).

Every letter has the same frame (templates/loans/documents/_letterhead.html):
the office block from Settings › Office, the letter's date, and the
customer's mailing address block.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from portal.models import Customer, OfficeSettings


def mailing_lines(customer: Customer) -> list[str]:
    """The customer's mailing address as an envelope prints it (empty when
    none is on file: the letter then says so instead of guessing)."""
    city_line = " ".join(
        part
        for part in [
            f"{customer.mailing_city}," if customer.mailing_city else "",
            customer.mailing_state,
            customer.mailing_postal_code,
        ]
        if part
    )
    return [
        line
        for line in [customer.mailing_line1, customer.mailing_line2, city_line]
        if line
    ]


def letter_context(customer: Customer, dated: date | None = None) -> dict[str, Any]:
    """What every letter's frame needs: the office, the date, the address."""
    office = OfficeSettings.current()
    return {
        "office": office,
        "utility_name": office.display_utility_name,
        "office_lines": office.address_lines(),
        "dated": dated or timezone.localdate(),
        "customer": customer,
        "mailing_lines": mailing_lines(customer),
    }
