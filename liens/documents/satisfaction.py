"""The satisfaction (release) of lien: the utility declares the loan paid and
releases its lien on the property, prepared as a PDF for signature and then
recorded with the county."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from weasyprint import HTML

from liens.models import Lien
from loans.documents import letter_context
from portal.money import format_money


def satisfaction_pdf(*, lien: Lien, dated: date | None = None) -> bytes:
    return HTML(string=satisfaction_html(lien=lien, dated=dated)).write_pdf()


def satisfaction_html(*, lien: Lien, dated: date | None = None) -> str:
    loan = lien.loan
    context = letter_context(loan.customer, dated)
    return render_to_string(
        "liens/documents/satisfaction.html",
        {
            **context,
            "lien": lien,
            "loan": loan,
            "parcel": lien.parcel,
            "amount": format_money(lien.amount.amount),
            "owners": ", ".join(
                owner.display_name for owner in lien.parcel.owners.all()
            )
            or loan.customer.display_name,
        },
    )
