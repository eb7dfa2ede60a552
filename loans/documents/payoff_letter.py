"""The payoff letter: what settles the loan on a date, as a PDF.

It prints the office block and the customer's mailing address
(loans.documents.letter_context), the payoff total as of the date with its
parts (the same quote as the API and the loan page's payoff link), the date
it is good through, the per-diem after that date, and where and how to pay
(Settings › Office)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string

from weasyprint import HTML

from loans import schedule
from loans.documents import letter_context
from loans.models import Loan
from loans.services.payments import payoff_quote
from portal.money import format_money


def payoff_letter_pdf(
    *, loan: Loan, as_of: date, prepared_by: Any = None, dated: date | None = None
) -> bytes:
    return HTML(
        string=payoff_letter_html(
            loan=loan, as_of=as_of, prepared_by=prepared_by, dated=dated
        )
    ).write_pdf()


def payoff_letter_html(
    *, loan: Loan, as_of: date, prepared_by: Any = None, dated: date | None = None
) -> str:
    """`as_of` is the payoff date (the total is good through it); `dated` the
    letter's date (today by default)."""
    quote = payoff_quote(loan, as_of)
    accrued_from = _last_due_date(loan, as_of)
    context = letter_context(loan.customer, dated)
    office = context["office"]
    return render_to_string(
        "loans/documents/payoff_letter.html",
        {
            **context,
            "loan": loan,
            "quote": quote,
            "principal": format_money(quote.principal),
            "interest": format_money(quote.interest),
            "fees": format_money(quote.fees),
            "total": format_money(quote.total),
            "installment": format_money(loan.installment_amount),
            "per_diem": format_money(_per_diem(loan, quote.principal)),
            "accrued_from": accrued_from,
            "accrued_since": (
                f"since the last due date ({_day(accrued_from)})"
                if accrued_from
                else f"since disbursement ({_day(loan.disbursed_on)})"
            ),
            "payable_to": office.payable_to or context["utility_name"],
            "remit_lines": office.remittance_address_lines(),
            "prepared_by": prepared_by,
        },
    )


def _last_due_date(loan: Loan, as_of: date) -> date | None:
    """The latest installment due date on or before as_of (interest accrues
    from there); None before the first one (it accrues from disbursement)."""
    last = None
    for row in loan.installments.order_by("number").only("due_date"):
        if row.due_date > as_of:
            break
        last = row.due_date
    return last


def _day(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "—"


def _per_diem(loan: Loan, principal: Any) -> Any:
    # Interest for each further day after as_of (actual/365), so a payoff that
    # arrives late can be brought up to date.
    return schedule.money(principal * loan.annual_rate / 36500)
