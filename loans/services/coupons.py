"""The payment coupon book: printed for a loan and kept as its
correspondence (the PDF as printed, on the customer and the loan)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import OPEN_LOAN_STATUSES
from loans.documents.coupon_book import coupon_book_html, coupon_book_pdf
from loans.models import LetterKind, Loan, LoanCorrespondence
from loans.services.letters import loan_correspondence_record, require_send
from portal.checks import future_problem

NOT_OPEN = "Loan {number} is {status}; coupon books are printed for open loans."


@transaction.atomic
def coupon_book_produce(*, loan: Loan, actor: Any, on: date) -> LoanCorrespondence:
    """Print the coupon book of `loan` dated `on` (one coupon per remaining
    installment) and record it. Each call prints a new book (a lost book is
    reprinted), each kept as it was printed."""
    require_send(actor)
    if problem := future_problem(on, "The coupon book's date"):
        raise ValidationError({"on": problem})
    loan = Loan.objects.select_related("customer", "account", "product").get(pk=loan.pk)
    if loan.status not in OPEN_LOAN_STATUSES:
        raise ValidationError(
            NOT_OPEN.format(
                number=loan.number, status=loan.get_status_display().lower()
            )
        )
    subject, body, html = coupon_book_html(loan, on=on)
    return loan_correspondence_record(
        actor=actor,
        loan=loan,
        kind=LetterKind.COUPON_BOOK,
        on=on,
        subject=subject,
        body=body,
        pdf=coupon_book_pdf(html),
        file_name=f"coupons-{loan.number}-{on.isoformat()}.pdf",
    )
