"""The payment coupon book: a cover note (the `coupon_book` letter template)
and one coupon per remaining installment, three to a page.

Each coupon prints the customer, the service address and utility account,
the loan number, the due date and amount, the late-fee notice (the product's
fee, charged when the installment is unpaid after its grace days), where to
send it (Settings › Office) and the machine-readable scan line the lockbox
reads back (layout in loans/scanline.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.template.loader import render_to_string

from weasyprint import HTML

from loans.documents import letter_context
from loans.documents.letters import day_words, letter_values, paragraphs
from loans.models import Installment, LetterTemplate, Loan
from loans.scanline import scan_line
from portal.money import format_money

COVER_TEMPLATE = "coupon_book"


@dataclass(frozen=True)
class Coupon:
    number: int
    due_date: date
    amount: Decimal
    late_after: date
    scan_line: str

    @property
    def amount_text(self) -> str:
        return format_money(self.amount)

    @property
    def due_text(self) -> str:
        return day_words(self.due_date)

    @property
    def late_after_text(self) -> str:
        return day_words(self.late_after)


def coupons(loan: Loan) -> list[Coupon]:
    """One coupon per installment not fully paid, for what is still owed on
    it, oldest first (the schedule's cache, kept equal to the ledger)."""
    grace = timedelta(days=loan.product.late_fee_grace_days)
    account = loan.account.number if loan.account else ""
    result = []
    for row in Installment.objects.filter(loan=loan).order_by("number"):
        owed = (row.principal - row.principal_paid) + (row.interest - row.interest_paid)
        if owed <= 0:
            continue
        result.append(
            Coupon(
                number=row.number,
                due_date=row.due_date,
                amount=owed,
                late_after=row.due_date + grace,
                scan_line=scan_line(account, loan.number, owed),
            )
        )
    return result


def coupon_book_html(loan: Loan, *, on: date) -> tuple[str, str, str]:
    """(subject, cover text, HTML) of the loan's coupon book dated `on`."""
    values = letter_values(loan, on)
    template = LetterTemplate.objects.filter(code=COVER_TEMPLATE).first()
    if template is not None:
        subject, body = template.render(values)
    else:  # the seeded template was removed: a plain heading still prints
        subject, body = f"Payment coupons for loan {loan.number}", ""
    context = letter_context(loan.customer, on)
    office = context["office"]
    account = loan.account
    html = render_to_string(
        "loans/documents/coupon_book.html",
        {
            **context,
            "loan": loan,
            "subject": subject,
            "paragraphs": paragraphs(body),
            "coupons": coupons(loan),
            "account_number": account.number if account else "none",
            "service_address": ", ".join(account.address_lines()) if account else "",
            "late_fee": format_money(loan.product.late_fee.amount),
            "payable_to": office.payable_to or context["utility_name"],
            "remit_lines": office.remittance_address_lines(),
        },
    )
    return subject, body, html


def coupon_book_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
