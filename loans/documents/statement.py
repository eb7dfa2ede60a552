"""The monthly statement: the activity of a period (payments received, with
what each paid, and fees charged), the balance at its end and the next
installment, under the `statement` letter template's message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string

from weasyprint import HTML

from loans import engine, selectors
from loans.choices import EntryKind, PaymentStatus
from loans.documents import letter_context
from loans.documents.letters import day_words, letter_values, paragraphs
from loans.models import LedgerEntry, LetterTemplate, Loan, Payment
from loans.schedule import ZERO
from loans.services.payments import payment_allocation
from portal.money import format_money

MESSAGE_TEMPLATE = "statement"


@dataclass(frozen=True)
class StatementFigures:
    period_start: date
    period_end: date
    payments: list[dict[str, str]]
    fees: list[dict[str, str]]
    paid_total: Decimal
    fees_total: Decimal
    balance: Decimal
    principal: Decimal
    interest: Decimal
    unpaid_fees: Decimal
    next_due_date: date | None
    next_due_amount: Decimal | None


def statement_figures(loan: Loan, start: date, end: date) -> StatementFigures:
    payments = []
    paid_total = ZERO
    for payment in Payment.objects.filter(
        loan=loan,
        status=PaymentStatus.POSTED,
        received_on__gte=start,
        received_on__lte=end,
    ).order_by("received_on", "pk"):
        split = payment_allocation(payment)
        paid_total += payment.amount
        payments.append(
            {
                "day": day_words(payment.received_on),
                "reference": payment.reference,
                "amount": format_money(payment.amount),
                "fees": format_money(split["fees"]),
                "interest": format_money(split["interest"]),
                "principal": format_money(split["principal"]),
            }
        )
    fees = []
    fees_total = ZERO
    for entry in LedgerEntry.objects.filter(
        loan=loan,
        kind=EntryKind.FEE_ASSESSED,
        effective_on__gte=start,
        effective_on__lte=end,
    ).order_by("effective_on", "pk"):
        fees_total += entry.amount
        what = entry.get_fee_kind_display() if entry.fee_kind else "Fee"
        if entry.reverses_id:
            what = f"{what} reversed"
        elif entry.installment_number:
            what = f"{what} (installment {entry.installment_number})"
        fees.append(
            {
                "day": day_words(entry.effective_on),
                "what": what,
                "amount": format_money(entry.amount),
            }
        )
    summary = selectors.loan_summary(loan, end)
    state = engine.position(loan, end)
    upcoming = [s for s in state.states if s.due_date > end and not s.is_paid]
    following = min(upcoming, key=lambda s: s.due_date) if upcoming else None
    return StatementFigures(
        period_start=start,
        period_end=end,
        payments=payments,
        fees=fees,
        paid_total=paid_total,
        fees_total=fees_total,
        balance=summary.balance["total"],
        principal=summary.balance["principal"],
        interest=summary.balance["interest"],
        unpaid_fees=summary.balance["fees"],
        next_due_date=following.due_date if following else None,
        next_due_amount=(
            following.principal_outstanding + following.interest_outstanding
            if following
            else None
        ),
    )


def statement_html(
    loan: Loan, figures: StatementFigures, *, on: date
) -> tuple[str, str, str]:
    """(subject, message, HTML) of the statement dated `on`."""
    values = letter_values(loan, on)
    template = LetterTemplate.objects.filter(code=MESSAGE_TEMPLATE).first()
    if template is not None:
        subject, body = template.render(values)
    else:  # the seeded template was removed: the figures still print
        subject, body = f"Statement for loan {loan.number}", ""
    html = render_to_string(
        "loans/documents/statement.html",
        {
            **letter_context(loan.customer, on),
            "loan": loan,
            "subject": subject,
            "paragraphs": paragraphs(body),
            "f": figures,
            "period": f"{day_words(figures.period_start)} to "
            f"{day_words(figures.period_end)}",
            "end": day_words(figures.period_end),
            "paid_total": format_money(figures.paid_total),
            "fees_total": format_money(figures.fees_total),
            "balance": format_money(figures.balance),
            "principal": format_money(figures.principal),
            "interest": format_money(figures.interest),
            "unpaid_fees": format_money(figures.unpaid_fees),
            "next_due": day_words(figures.next_due_date),
            "next_amount": (
                format_money(figures.next_due_amount)
                if figures.next_due_amount is not None
                else "nothing"
            ),
        },
    )
    return subject, body, html


def statement_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
