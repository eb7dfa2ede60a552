"""The loan agreement and promissory note, rendered from the approved terms."""

from __future__ import annotations

from django.template.loader import render_to_string

from weasyprint import HTML

from loans import schedule
from loans.models import Loan


def agreement_html(loan: Loan) -> str:
    rows = schedule.amortize(
        loan.principal, loan.annual_rate, loan.term_months, loan.first_due_date
    )
    return render_to_string(
        "loans/documents/agreement.html",
        {
            "loan": loan,
            "customer": loan.customer,
            "rows": rows,
            "total_interest": sum((r.interest for r in rows), 0),
        },
    )


def agreement_pdf(loan: Loan) -> bytes:
    return HTML(string=agreement_html(loan)).write_pdf()
