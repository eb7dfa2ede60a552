"""Reads for the customer area: My applications and My loans.

Each function reads one customer's records in a fixed number of queries,
however many records there are (prefetch, select_related, annotations; no
query per row): the pages' query counts are tested at 1 and at 50 records.
Words for the engine's and the workflows' codes are chosen here, once, so
every page says the same thing ("We need more information from you",
"Past due 12 days")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import CombinedExpression
from django.urls import reverse

from loans import selectors as loan_selectors
from loans.choices import ApplicationStatus, LoanStatus, PaymentMethod, PaymentStatus
from loans.models import (
    Installment,
    LetterKind,
    Loan,
    LoanApplication,
    LoanCorrespondence,
    Payment,
    Statement,
)
from loans.schedule import ZERO
from loans.services.payments import payoff_quote
from loans.words import installment_status_words
from portal.models import Customer, Document, OnlineApplication
from portal.templatetags.portal_format import day_text, money_text
from programs.choices import RebatePaymentMethod, RebatePaymentStatus, RebateStatus
from programs.models import RebateApplication, RebatePayment

LOAN = "loan"
REBATE = "rebate"
KINDS = (LOAN, REBATE)

NEEDS_INFORMATION_WORDS = "We need more information from you"

# --------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------


def _loan_of(application: LoanApplication) -> Loan | None:
    """The loan an application became (read with it by select_related)."""
    try:
        return application.loan
    except ObjectDoesNotExist:
        return None


def loan_application_status_words(application: LoanApplication) -> str:
    S = ApplicationStatus
    status = application.status
    if status == S.APPROVED:
        loan = _loan_of(application)
        if loan is not None:
            return f"Loan opened: {loan.number}"
        approved = application.approved_amount
        return f"Approved for {money_text(approved)}" if approved else "Approved"
    words: dict[str, str] = {
        S.DRAFT: "Not submitted yet",
        S.SUBMITTED: "Submitted: waiting for review",
        S.IN_REVIEW: "In review",
        S.NEEDS_INFORMATION: NEEDS_INFORMATION_WORDS,
        S.DECLINED: "Declined",
        S.WITHDRAWN: "Withdrawn",
    }
    return words.get(status, application.get_status_display())


def rebate_status_words(application: RebateApplication) -> str:
    S = RebateStatus
    status = application.status
    if status == S.INSPECTION_SCHEDULED and application.inspection_scheduled_for:
        return (
            f"Inspection scheduled for {day_text(application.inspection_scheduled_for)}"
        )
    if status == S.APPROVED and application.approved_amount is not None:
        return f"Approved for {money_text(application.approved_amount)}: payment on its way"
    words: dict[str, str] = {
        S.SUBMITTED: "Submitted: waiting for review",
        S.IN_REVIEW: "In review",
        S.NEEDS_INFORMATION: NEEDS_INFORMATION_WORDS,
        S.INSPECTION_SCHEDULED: "Inspection scheduled",
        S.INSPECTED: "Inspected: waiting for a decision",
        S.APPROVED: "Approved: payment on its way",
        S.DENIED: "Declined",
        S.PAID: "Paid",
        S.CANCELLED: "Cancelled",
    }
    return words.get(status, application.get_status_display())


@dataclass(frozen=True)
class ApplicationRow:
    kind: str
    pk: int
    reference: str
    what: str
    amount_label: str
    amount: Decimal
    submitted_on: datetime
    status: str
    action_needed: bool

    @property
    def url(self) -> str:
        return reverse("customer:application", args=[self.kind, self.pk])


@dataclass(frozen=True)
class DraftRow:
    draft: OnlineApplication
    what: str
    resume_url_name: str


@dataclass(frozen=True)
class MyApplications:
    drafts: list[DraftRow]
    submitted: list[ApplicationRow]

    @property
    def action_needed(self) -> list[ApplicationRow]:
        return [row for row in self.submitted if row.action_needed]


def customer_loan_applications(customer: Customer) -> QuerySet[LoanApplication]:
    """The customer's loan applications once submitted (a staff draft not yet
    submitted is not the customer's to follow)."""
    return (
        LoanApplication.objects.filter(customer=customer)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("customer", "product", "loan")
    )


def customer_rebate_applications(customer: Customer) -> QuerySet[RebateApplication]:
    return RebateApplication.objects.filter(customer=customer).select_related(
        "customer", "program"
    )


def my_applications(customer: Customer) -> MyApplications:
    """Drafts (to continue) and submitted applications, newest first: three
    queries whatever their number."""
    drafts = [
        DraftRow(
            draft=draft,
            what=draft.get_kind_display(),
            resume_url_name=f"customer:apply_{draft.kind}_resume",
        )
        for draft in OnlineApplication.objects.filter(
            customer=customer, submitted_at__isnull=True
        ).order_by("-updated_at", "-pk")
    ]
    rows: list[ApplicationRow] = []
    for loan_app in customer_loan_applications(customer):
        approved = loan_app.approved_amount
        rows.append(
            ApplicationRow(
                kind=LOAN,
                pk=loan_app.pk,
                reference=loan_app.reference,
                what=loan_app.product.name,
                amount_label="Approved" if approved is not None else "Requested",
                amount=(approved or loan_app.requested_amount).amount,
                submitted_on=loan_app.submitted_at or loan_app.created_at,
                status=loan_application_status_words(loan_app),
                action_needed=loan_app.status == ApplicationStatus.NEEDS_INFORMATION,
            )
        )
    for rebate in customer_rebate_applications(customer):
        approved = rebate.approved_amount
        rows.append(
            ApplicationRow(
                kind=REBATE,
                pk=rebate.pk,
                reference=rebate.reference,
                what=rebate.program.name,
                amount_label="Approved" if approved is not None else "Requested",
                amount=(approved or rebate.requested_amount).amount,
                submitted_on=rebate.submitted_at,
                status=rebate_status_words(rebate),
                action_needed=rebate.status == RebateStatus.NEEDS_INFORMATION,
            )
        )
    rows.sort(key=lambda row: (row.submitted_on, row.pk), reverse=True)
    return MyApplications(drafts=drafts, submitted=rows)


@dataclass(frozen=True)
class Step:
    """One line of an application's timeline, in plain words."""

    text: str
    detail: str = ""
    link_url: str = ""
    link_text: str = ""


@dataclass
class ApplicationPage:
    kind: str
    application: Any
    reference: str
    what: str
    status: str
    steps: list[Step]
    information_request: str
    needs_information: bool
    answers: list[Document] = field(default_factory=list)


def _answers(application: Any) -> list[Document]:
    """What the customer sent with their answers (prefetched), newest first."""
    return sorted(
        application.documents.all(),
        key=lambda d: (d.uploaded_at, d.pk),
        reverse=True,
    )


def loan_application_page(customer: Customer, pk: int) -> ApplicationPage | None:
    application = (
        customer_loan_applications(customer)
        .prefetch_related("documents")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return None
    S = ApplicationStatus
    steps = [
        Step(
            f"Submitted on {day_text(application.submitted_at or application.created_at)}"
        )
    ]
    if application.review_started_at:
        steps.append(
            Step("In review", f"Since {day_text(application.review_started_at)}")
        )
    if application.information_requested_at:
        steps.append(
            Step(
                NEEDS_INFORMATION_WORDS,
                f"Asked on {day_text(application.information_requested_at)}",
            )
        )
        if application.status != S.NEEDS_INFORMATION and application.status in (
            S.IN_REVIEW,
            S.APPROVED,
            S.DECLINED,
        ):
            steps.append(Step("You sent the information; back in review"))
    if application.status == S.APPROVED or application.approved_at:
        approved = application.approved_amount
        steps.append(
            Step(
                f"Approved for {money_text(approved)}"
                if approved is not None
                else "Approved",
                f"On {day_text(application.approved_at)}"
                + (
                    f", over {application.approved_term_months} months"
                    if application.approved_term_months
                    else ""
                ),
            )
        )
    loan = _loan_of(application)
    if loan is not None:
        steps.append(
            Step(
                f"Loan opened: {loan.number}",
                link_url=reverse("customer:loan", args=[loan.number]),
                link_text="See it in My loans",
            )
        )
    if application.status == S.DECLINED:
        reasons = application.decision_reasons
        steps.append(
            Step(
                f"Declined: {reasons}" if reasons else "Declined",
                f"On {day_text(application.declined_at)}",
            )
        )
    if application.status == S.WITHDRAWN:
        steps.append(Step(f"Withdrawn on {day_text(application.withdrawn_at)}"))
    return ApplicationPage(
        kind=LOAN,
        application=application,
        reference=application.reference,
        what=application.product.name,
        status=loan_application_status_words(application),
        steps=steps,
        information_request=application.information_request,
        needs_information=application.status == S.NEEDS_INFORMATION,
        answers=_answers(application),
    )


REBATE_PAID_WORDS: dict[str, str] = {
    RebatePaymentMethod.CHECK: "Paid by check",
    RebatePaymentMethod.BILL_CREDIT: "Credited on your utility bill",
}


def rebate_application_page(customer: Customer, pk: int) -> ApplicationPage | None:
    application = (
        customer_rebate_applications(customer)
        .prefetch_related(
            "documents",
            Prefetch(
                "payments",
                queryset=RebatePayment.objects.filter(
                    status=RebatePaymentStatus.ISSUED
                ).order_by("paid_on", "pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return None
    S = RebateStatus
    steps = [Step(f"Submitted on {day_text(application.submitted_at)}")]
    if application.review_started_at:
        steps.append(
            Step("In review", f"Since {day_text(application.review_started_at)}")
        )
    if application.information_requested_at:
        steps.append(
            Step(
                NEEDS_INFORMATION_WORDS,
                f"Asked on {day_text(application.information_requested_at)}",
            )
        )
    if (
        application.information_provided_at
        and application.status != S.NEEDS_INFORMATION
    ):
        steps.append(
            Step(
                "Information received; back in review",
                f"On {day_text(application.information_provided_at)}",
            )
        )
    if application.inspection_scheduled_for:
        steps.append(
            Step(
                f"Inspection scheduled for {day_text(application.inspection_scheduled_for)}"
            )
        )
    if application.inspection_passed is not None:
        result = "passed" if application.inspection_passed else "did not pass"
        steps.append(
            Step(
                f"Inspected on {day_text(application.inspected_on)}: the work {result}"
            )
        )
    if (
        application.status in (S.APPROVED, S.PAID, S.CANCELLED)
        and application.decided_at
    ):
        approved = application.approved_amount
        steps.append(
            Step(
                f"Approved for {money_text(approved)}"
                if approved is not None
                else "Approved",
                f"On {day_text(application.decided_at)}",
            )
        )
    for payment in application.payments.all():
        words = REBATE_PAID_WORDS.get(payment.method, payment.get_method_display())
        number = f" {payment.check_number}" if payment.check_number else ""
        steps.append(
            Step(
                f"{words} on {day_text(payment.paid_on)}",
                f"{money_text(payment.amount)}"
                + (
                    f", check{number}"
                    if payment.method == RebatePaymentMethod.CHECK
                    else ""
                ),
            )
        )
    if application.status == S.DENIED:
        reasons = application.decision_reasons
        steps.append(
            Step(
                f"Declined: {reasons}" if reasons else "Declined",
                f"On {day_text(application.decided_at)}",
            )
        )
    if application.status == S.CANCELLED:
        steps.append(Step(f"Cancelled on {day_text(application.cancelled_at)}"))
    return ApplicationPage(
        kind=REBATE,
        application=application,
        reference=application.reference,
        what=application.program.name,
        status=rebate_status_words(application),
        steps=steps,
        information_request=application.information_request,
        needs_information=application.status == S.NEEDS_INFORMATION,
        answers=_answers(application),
    )


def application_page(customer: Customer, kind: str, pk: int) -> ApplicationPage | None:
    """The customer's own application of that kind, or None (a 404 for the
    view, whether it does not exist or is someone else's)."""
    if kind == LOAN:
        return loan_application_page(customer, pk)
    if kind == REBATE:
        return rebate_application_page(customer, pk)
    return None


# --------------------------------------------------------------------------
# Loans
# --------------------------------------------------------------------------

PAYMENT_METHOD_WORDS: dict[str, str] = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.CHECK: "Check",
    PaymentMethod.ACH: "Bank transfer (ACH)",
    PaymentMethod.CARD: "Card",
    PaymentMethod.ON_BILL: "On your utility bill",
}


def days_words(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def loan_standing_words(loan: Loan, days_past_due: int) -> str:
    """Where the loan stands, in a few words: "Current", "Past due 12 days"."""
    status = loan.status
    if status == LoanStatus.CLOSING:
        return "Being set up: not paid out yet"
    if status == LoanStatus.PAID_OFF:
        return (
            f"Paid off on {day_text(loan.paid_off_on)}"
            if loan.paid_off_on
            else "Paid off"
        )
    if status == LoanStatus.WRITTEN_OFF:
        return "Closed: written off"
    if status == LoanStatus.DEFAULTED:
        return f"In default: past due {days_words(days_past_due)}"
    if days_past_due > 0:
        return f"Past due {days_words(days_past_due)}"
    return "Current"


def customer_loans(customer: Customer) -> QuerySet[Loan]:
    return Loan.objects.filter(customer=customer).select_related("customer", "product")


def _unpaid_of_installment() -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(
        F("principal") + F("interest") - F("principal_paid") - F("interest_paid"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


@dataclass(frozen=True)
class LoanRow:
    loan: Loan
    principal_owed: Decimal
    next_due_date: date | None
    next_due_amount: Decimal | None
    days_past_due: int
    standing: str
    past_due: bool

    @property
    def url(self) -> str:
        return reverse("customer:loan", args=[self.loan.number])


def my_loans(customer: Customer, today: date) -> list[LoanRow]:
    """The customer's loans with what a list needs, in one query: principal
    still owed and days past due from the loan's cached facts (kept by the
    engine), the next installment due from today on, by subquery."""
    next_unpaid = (
        Installment.objects.filter(loan=OuterRef("pk"), due_date__gte=today)
        .exclude(principal_paid=F("principal"), interest_paid=F("interest"))
        .order_by("number")
    )
    loans = customer_loans(customer).annotate(
        next_due_date=Subquery(next_unpaid.values("due_date")[:1]),
        next_due_amount=Subquery(
            next_unpaid.annotate(unpaid=_unpaid_of_installment()).values("unpaid")[:1]
        ),
    )
    rows = []
    for loan in loans.order_by("-created_at", "-pk"):
        dpd = loan_selectors.days_past_due_from(loan.oldest_unpaid_due, today)
        closed = loan.status in (LoanStatus.PAID_OFF, LoanStatus.WRITTEN_OFF)
        amount = getattr(loan, "next_due_amount", None)
        rows.append(
            LoanRow(
                loan=loan,
                principal_owed=ZERO if closed else loan.principal_outstanding,
                next_due_date=None if closed else getattr(loan, "next_due_date", None),
                next_due_amount=None
                if closed or amount is None
                else Decimal(str(amount)).quantize(Decimal("0.01")),
                days_past_due=dpd,
                standing=loan_standing_words(loan, 0 if closed else dpd),
                past_due=not closed and dpd > 0,
            )
        )
    return rows


@dataclass(frozen=True)
class CustomerScheduleRow:
    number: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    paid: Decimal
    status: str


@dataclass(frozen=True)
class PaymentRow:
    received_on: date
    amount: Decimal
    method: str
    reference: str
    reversed: bool
    reversal: str


@dataclass(frozen=True)
class StatementRow:
    pk: int
    period_start: date
    period_end: date
    balance: Decimal
    url: str


@dataclass
class LoanPage:
    loan: Loan
    today: date
    standing: str
    past_due: bool
    days_past_due: int
    is_open: bool
    disbursed: bool
    balance: dict[str, Decimal]
    next_due_date: date | None
    next_due_amount: Decimal | None
    past_due_amount: Decimal
    schedule: list[CustomerScheduleRow]
    payments: list[PaymentRow]
    statements: list[StatementRow]
    has_coupon_book: bool


def _payment_row(payment: Payment) -> PaymentRow:
    reversed_ = payment.status == PaymentStatus.REVERSED
    reversal = ""
    if reversed_:
        when = day_text(payment.reversed_at) if payment.reversed_at else ""
        reason = payment.get_reversal_reason_display()
        reversal = f"Reversed{f' on {when}' if when else ''}: {reason}"
    return PaymentRow(
        received_on=payment.received_on,
        amount=payment.amount,
        method=PAYMENT_METHOD_WORDS.get(payment.method, payment.get_method_display()),
        reference=payment.reference,
        reversed=reversed_,
        reversal=reversal,
    )


def customer_loan(customer: Customer, number: str) -> Loan | None:
    return customer_loans(customer).filter(number=number).first()


def loan_page(loan: Loan, today: date) -> LoanPage:
    """Everything the customer's loan page shows, as of today, in a fixed
    number of queries: the engine's position (loans.selectors.loan_summary),
    the schedule, the payments and the statements, one query each."""
    disbursed = loan.disbursed_on is not None
    closed = loan.status in (LoanStatus.PAID_OFF, LoanStatus.WRITTEN_OFF)
    if disbursed and not closed:
        summary = loan_selectors.loan_summary(loan, today)
        balance = dict(summary.balance)
        dpd = summary.days_past_due
    else:
        # Nothing is owed before the money is paid out (loan_summary says the
        # same), nor after the loan is paid off or written off.
        balance = {"principal": ZERO, "interest": ZERO, "fees": ZERO, "total": ZERO}
        dpd = 0
    rows = loan_selectors.schedule_rows(loan, today) if disbursed else []
    schedule = [
        CustomerScheduleRow(
            number=row.number,
            due_date=row.due_date,
            amount=row.amount,
            principal=row.principal,
            interest=row.interest,
            paid=row.principal_paid + row.interest_paid,
            status=installment_status_words(row.status),
        )
        for row in rows
    ]
    next_row = next(
        (row for row in rows if row.status != "paid" and row.due_date >= today), None
    )
    if next_row is None:
        next_row = next((row for row in rows if row.status != "paid"), None)
    past_due_amount = sum(
        (
            row.amount - row.principal_paid - row.interest_paid
            for row in rows
            if row.status != "paid" and row.due_date < today
        ),
        ZERO,
    )
    payments = [
        _payment_row(payment)
        for payment in Payment.objects.filter(loan=loan).order_by("-received_on", "-pk")
    ]
    statements = [
        StatementRow(
            pk=statement.pk,
            period_start=statement.period_start,
            period_end=statement.period_end,
            balance=statement.balance,
            url=reverse("customer:loan_statement", args=[loan.number, statement.pk]),
        )
        for statement in Statement.objects.filter(loan=loan).order_by("-period_end")
    ]
    has_coupon_book = LoanCorrespondence.objects.filter(
        loan=loan, kind=LetterKind.COUPON_BOOK
    ).exists()
    return LoanPage(
        loan=loan,
        today=today,
        standing=loan_standing_words(loan, dpd),
        past_due=dpd > 0 and not closed,
        days_past_due=dpd,
        is_open=loan.is_open(),
        disbursed=disbursed,
        balance=balance,
        next_due_date=None if closed or next_row is None else next_row.due_date,
        next_due_amount=None
        if closed or next_row is None
        else next_row.amount - next_row.principal_paid - next_row.interest_paid,
        past_due_amount=ZERO if closed else past_due_amount,
        schedule=schedule,
        payments=payments,
        statements=statements,
        has_coupon_book=has_coupon_book,
    )


def loan_payoff(loan: Loan, as_of: date) -> Any:
    """The payoff quote as of a date (the engine's, as on the letter)."""
    return payoff_quote(loan, as_of)


def latest_coupon_book(loan: Loan) -> LoanCorrespondence | None:
    return (
        LoanCorrespondence.objects.filter(loan=loan, kind=LetterKind.COUPON_BOOK)
        .select_related("correspondence")
        .order_by("-on", "-pk")
        .first()
    )


def loan_statement(loan: Loan, pk: int) -> Statement | None:
    return (
        Statement.objects.filter(loan=loan, pk=pk)
        .select_related("correspondence")
        .first()
    )
