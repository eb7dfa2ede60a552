"""Notice letters from their templates (loans.models.LetterTemplate).

`letter_figures` reads where the loan stands on the letter's date (the same
replay as the loan page and the payoff quote, counting payments received by
then); `letter_values` turns those figures and Settings › Office into the
text of every placeholder in `loans.models.PLACEHOLDERS`. A template's
`{name}`s are filled with those texts and the letter is printed inside the
usual letterhead (loans/documents/_letterhead.html) by WeasyPrint.

`sample_values` are the made-up figures the back office's preview uses when
no loan is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string

from weasyprint import HTML

from loans import engine, selectors
from loans.documents import letter_context, mailing_lines
from loans.models import PLACEHOLDERS, LetterTemplate, Loan
from loans.schedule import ZERO
from portal.models import Customer, OfficeSettings
from portal.money import format_money


@dataclass(frozen=True)
class LetterFigures:
    past_due: Decimal
    balance: Decimal
    next_due_date: date | None
    next_due_amount: Decimal
    days_past_due: int


def letter_figures(loan: Loan, on: date) -> LetterFigures:
    """Where the loan stands on `on`: what is past due (installments due
    before it, unpaid, and unpaid fees), the balance (principal outstanding,
    interest due and fees), the next installment due on or after `on` and
    what is still owed on it, and days past due."""
    summary = selectors.loan_summary(loan, on)
    if loan.disbursed_on is None or on < loan.disbursed_on:
        return LetterFigures(ZERO, summary.balance["total"], None, ZERO, 0)
    state = engine.position(loan, on)
    past_due = state.unpaid_fees + sum(
        (
            s.principal_outstanding + s.interest_outstanding
            for s in state.states
            if s.due_date < on and not s.is_paid
        ),
        ZERO,
    )
    upcoming = [s for s in state.states if s.due_date >= on and not s.is_paid]
    following = min(upcoming, key=lambda s: s.due_date) if upcoming else None
    return LetterFigures(
        past_due=past_due,
        balance=summary.balance["total"],
        next_due_date=following.due_date if following else None,
        next_due_amount=(
            following.principal_outstanding + following.interest_outstanding
            if following
            else ZERO
        ),
        days_past_due=summary.days_past_due,
    )


def day_words(day: date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "none"


def _one_line(lines: list[str]) -> str:
    return ", ".join(lines)


def office_values(office: OfficeSettings) -> dict[str, str]:
    return {
        "utility_name": office.display_utility_name,
        "office_name": office.office_name or office.display_utility_name,
        "office_address": _one_line(office.address_lines()),
        "office_phone": office.phone,
        "office_email": office.email,
        "office_hours": office.hours,
        "payable_to": office.payable_to or office.display_utility_name,
        "remit_address": _one_line(office.remittance_address_lines()),
    }


def letter_values(loan: Loan, on: date) -> dict[str, str]:
    """The text of every placeholder for `loan` on `on`."""
    figures = letter_figures(loan, on)
    account = loan.account
    product = loan.product
    values = {
        "customer_name": loan.customer.display_name,
        "mailing_address": _one_line(mailing_lines(loan.customer)),
        "loan_number": loan.number,
        "account_number": account.number if account else "",
        "service_address": _one_line(account.address_lines()) if account else "",
        "past_due_amount": format_money(figures.past_due),
        "balance": format_money(figures.balance),
        "next_due_date": day_words(figures.next_due_date),
        "next_due_amount": format_money(figures.next_due_amount),
        "days_past_due": str(figures.days_past_due),
        "late_fee": format_money(product.late_fee.amount),
        "grace_days": str(product.late_fee_grace_days),
        "letter_date": day_words(on),
        **office_values(OfficeSettings.current()),
    }
    assert set(values) == set(PLACEHOLDERS)  # noqa: S101 - a missing one is a bug
    return values


SAMPLE_CUSTOMER = {
    "first_name": "Carol",
    "last_name": "Sample",
    "mailing_line1": "12 Maple St",
    "mailing_city": "Riverton",
    "mailing_state": "NY",
    "mailing_postal_code": "12180",
}


def sample_values(on: date) -> dict[str, str]:
    """Made-up figures for a preview with no loan chosen."""
    return {
        "customer_name": "Carol Sample",
        "mailing_address": "12 Maple St, Riverton, NY 12180",
        "loan_number": "EE-2026-0001",
        "account_number": "100001",
        "service_address": "12 Maple St, Riverton, NY 12180",
        "past_due_amount": "$377.42",
        "balance": "$9,812.55",
        "next_due_date": day_words(on.replace(day=1)),
        "next_due_amount": "$188.71",
        "days_past_due": "31",
        "late_fee": "$25.00",
        "grace_days": "15",
        "letter_date": day_words(on),
        **office_values(OfficeSettings.current()),
    }


def paragraphs(body: str) -> list[str]:
    """A blank line starts a paragraph; single line breaks stay in it."""
    return [
        p.strip("\n") for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()
    ]


def notice_html(
    template: LetterTemplate,
    *,
    values: dict[str, str],
    customer: Customer,
    on: date,
) -> str:
    subject, body = template.render(values)
    return render_to_string(
        "loans/documents/notice.html",
        {
            **letter_context(customer, on),
            "subject": subject,
            "paragraphs": paragraphs(body),
        },
    )


def notice_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
