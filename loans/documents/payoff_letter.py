"""The payoff letter: what settles the loan on a date, as a PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string

from weasyprint import HTML

from loans.models import Loan
from loans.services.payments import payoff_quote


def payoff_letter_pdf(*, loan: Loan, as_of: date, prepared_by: Any = None) -> bytes:
    return HTML(
        string=payoff_letter_html(loan=loan, as_of=as_of, prepared_by=prepared_by)
    ).write_pdf()


def payoff_letter_html(*, loan: Loan, as_of: date, prepared_by: Any = None) -> str:
    quote = payoff_quote(loan, as_of)
    return render_to_string(
        "loans/documents/payoff_letter.html",
        {
            "loan": loan,
            "customer": loan.customer,
            "quote": quote,
            "per_diem": _per_diem(loan, quote.principal),
            "prepared_by": prepared_by,
        },
    )


def _per_diem(loan: Loan, principal: Any) -> Any:
    # Interest for each further day after as_of (actual/365), so a payoff that
    # arrives late can be brought up to date.
    from loans.schedule import money

    return money(principal * loan.annual_rate / 36500)
