"""Monthly statements: one for a loan through a day, and the month's for
every open loan. A statement covers the days since the loan's last one (or
since disbursement) through its end, so "since the last statement" is
always defined by the Statement records."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import OPEN_LOAN_STATUSES
from loans.documents.statement import statement_figures, statement_html, statement_pdf
from loans.models import LetterKind, Loan, Statement
from loans.services.letters import loan_correspondence_record, require_send
from portal.audit import audit_context
from portal.checks import future_problem

NOT_DISBURSED = "Loan {number} is not disbursed yet; there is nothing to state."
BEFORE_LAST = (
    "Loan {number} already has a statement through {last:%B %-d, %Y}; a new "
    "one must end after it."
)
BEFORE_DISBURSEMENT = (
    "Loan {number} was disbursed on {day:%B %-d, %Y}, after that date."
)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@transaction.atomic
def statement_produce(*, loan: Loan, actor: Any, period_end: date) -> Statement:
    """The statement of `loan` through `period_end` (not in the future),
    recorded as correspondence on the customer and the loan. Idempotent per
    (loan, period_end): asking again returns the first one."""
    require_send(actor)
    if problem := future_problem(period_end, "The statement's end"):
        raise ValidationError({"period_end": problem})
    # Locked so two producers of the same statement find one another.
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("customer", "account", "product")
        .get(pk=loan.pk)
    )
    if loan.disbursed_on is None:
        raise ValidationError(NOT_DISBURSED.format(number=loan.number))
    if period_end < loan.disbursed_on:
        raise ValidationError(
            {
                "period_end": BEFORE_DISBURSEMENT.format(
                    number=loan.number, day=loan.disbursed_on
                )
            }
        )
    existing = Statement.objects.filter(loan=loan, period_end=period_end).first()
    if existing is not None:
        return existing
    last = Statement.objects.filter(loan=loan).order_by("-period_end").first()
    if last is not None and last.period_end > period_end:
        raise ValidationError(
            {"period_end": BEFORE_LAST.format(number=loan.number, last=last.period_end)}
        )
    start = last.period_end + timedelta(days=1) if last else loan.disbursed_on
    figures = statement_figures(loan, start, period_end)
    subject, body, html = statement_html(loan, figures, on=period_end)
    record = loan_correspondence_record(
        actor=actor,
        loan=loan,
        kind=LetterKind.STATEMENT,
        on=period_end,
        subject=subject,
        body=body,
        pdf=statement_pdf(html),
        file_name=f"statement-{loan.number}-{period_end.isoformat()}.pdf",
    )
    with audit_context(user=actor, reason=f"Statement for {loan.number}"):
        return Statement.objects.create(
            loan=loan,
            period_start=start,
            period_end=period_end,
            balance=figures.balance,
            next_due_date=figures.next_due_date,
            next_due_amount=figures.next_due_amount,
            correspondence=record.correspondence,
            created_by=actor,
        )


def statements_produce_month(*, actor: Any, month: date) -> int:
    """The statements of every open loan disbursed by the end of `month`,
    through that month's last day; returns how many were made now (a re-run
    makes none). Each loan commits on its own, so a long run holds no lock
    for long and a failure leaves the others done; run it outside any outer
    transaction."""
    require_send(actor)
    end = month_end(month)
    made = 0
    loans = Loan.objects.filter(
        status__in=OPEN_LOAN_STATUSES, disbursed_on__lte=end
    ).exclude(statements__period_end=end)
    for loan_id in loans.values_list("pk", flat=True).order_by("pk"):
        before = Statement.objects.filter(loan_id=loan_id, period_end=end).exists()
        statement_produce(loan=Loan(pk=loan_id), actor=actor, period_end=end)
        made += not before
    return made
