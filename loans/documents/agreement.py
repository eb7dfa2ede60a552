"""The loan agreement and promissory note, rendered from the approved terms.

It prints the lender's office block (Settings › Office), the agreement's date
and the borrower's mailing address (loans.documents.letter_context)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from weasyprint import HTML

from loans import schedule
from loans.documents import letter_context
from loans.models import Loan
from portal.money import format_money


def agreement_html(loan: Loan, *, dated: date | None = None) -> str:
    rows = schedule.amortize(
        loan.principal, loan.annual_rate, loan.term_months, loan.first_due_date
    )
    product = loan.product
    return render_to_string(
        "loans/documents/agreement.html",
        {
            **letter_context(loan.customer, dated),
            "loan": loan,
            "rows": rows,
            "principal": format_money(loan.principal),
            "installment": format_money(loan.installment_amount),
            "total_interest": format_money(sum((r.interest for r in rows), 0)),
            "late_fee": format_money(product.late_fee.amount),
            "returned_payment_fee": format_money(product.returned_payment_fee.amount),
        },
    )


def agreement_pdf(loan: Loan, *, dated: date | None = None) -> bytes:
    return HTML(string=agreement_html(loan, dated=dated)).write_pdf()
