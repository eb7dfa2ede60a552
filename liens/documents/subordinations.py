"""The subordination agreement and the denial reason letter, as PDFs.

Both are addressed to the lending institution (not the customer): the
office block from Settings › Office, the letter's date, the lender's
contact. The agreement names our lien by its recording and the new loan
it will stand behind; the denial letter gives the reason in the
supervisor's words."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from weasyprint import HTML

from liens.models import SubordinationRequest
from portal.models import OfficeSettings
from portal.money import format_money


def _context(request: SubordinationRequest, dated: date | None) -> dict[str, Any]:
    office = OfficeSettings.current()
    day = dated or timezone.localdate()
    lien = request.lien
    return {
        "office": office,
        "utility_name": office.display_utility_name,
        "office_lines": office.address_lines(),
        "dated": day,
        "request": request,
        "lien": lien,
        "property_line": (
            f"{lien.parcel.parcel_id}, {lien.parcel.line1}".strip(", ")
            if lien
            else request.property_text
        ),
        "new_loan": format_money(request.new_loan_amount.amount),
        "lien_amount": format_money(lien.amount.amount) if lien else "",
    }


def agreement_html(
    request: SubordinationRequest,
    *,
    new_position: int | None = None,
    dated: date | None = None,
) -> str:
    context = _context(request, dated)
    current = request.lien.position if request.lien else None
    context["current_position"] = current
    context["new_position"] = new_position or ((current or 0) + 1)
    return render_to_string("liens/documents/subordination_agreement.html", context)


def agreement_pdf(request: SubordinationRequest, **kwargs: Any) -> bytes:
    return HTML(string=agreement_html(request, **kwargs)).write_pdf()


def denial_letter_html(
    request: SubordinationRequest, *, dated: date | None = None
) -> str:
    return render_to_string(
        "liens/documents/subordination_denial.html", _context(request, dated)
    )


def denial_letter_pdf(request: SubordinationRequest, **kwargs: Any) -> bytes:
    return HTML(string=denial_letter_html(request, **kwargs)).write_pdf()
