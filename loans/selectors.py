"""Reads for loans: positions as of a date, schedules, lists and ledgers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from django.db.models import QuerySet

from loans import engine
from loans.choices import EntryKind, PaymentStatus, ReversalReason
from loans.models import Installment, LedgerEntry, Loan, LoanApplication, Payment
from loans.schedule import DPD_BUCKETS, ZERO, dpd_bucket
from portal.models import BillingPeriod

# --- positions, schedules and ledgers (engine) ---


@dataclass(frozen=True)
class LoanSummary:
    as_of: date
    maturity_date: date
    next_due_date: date | None
    days_past_due: int
    dpd_bucket: str
    balance: dict[str, Decimal]


def loan_summary(loan: Loan, as_of: date) -> LoanSummary:
    """The loan as of a date, counting only payments received by then.

    balance.principal is all principal not yet paid (due or not); interest is
    the unpaid interest of installments due on or before as_of; fees unpaid.
    """
    if loan.disbursed_on is None or as_of < loan.disbursed_on:
        state = engine.replay(loan, [], [], as_of)
        dpd = 0
        principal = loan.principal if loan.disbursed_on else ZERO
        balance = {"principal": principal, "interest": ZERO, "fees": ZERO}
    else:
        state = engine.position(loan, as_of)
        dpd = state.days_past_due(as_of)
        balance = {
            "principal": state.principal_outstanding,
            "interest": state.interest_due(as_of),
            "fees": state.unpaid_fees,
        }
    balance["total"] = sum(balance.values(), ZERO)
    return LoanSummary(
        as_of=as_of,
        maturity_date=state.maturity_date(loan),
        next_due_date=state.next_due_date(),
        days_past_due=dpd,
        dpd_bucket=dpd_bucket(dpd),
        balance=balance,
    )


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    fees_paid: Decimal
    status: str


def installment_status(row: Installment, today: date) -> str:
    if row.is_paid():
        return "paid"
    if row.due_date < today:
        return "past_due"
    if row.due_date == today:
        return "due"
    if row.principal_paid or row.interest_paid:
        return "partially_paid"
    return "scheduled"


def schedule_rows(loan: Loan, today: date) -> list[ScheduleRow]:
    """The current schedule (after any re-amortization) with what was paid."""
    rows = list(Installment.objects.filter(loan=loan).order_by("number"))
    fees = _fees_paid_by_installment(loan)
    remaining = sum((r.principal for r in rows), ZERO)
    result = []
    for row in rows:
        remaining -= row.principal
        result.append(
            ScheduleRow(
                number=row.number,
                due_date=row.due_date,
                amount=row.amount,
                principal=row.principal,
                interest=row.interest,
                balance_after=remaining,
                principal_paid=row.principal_paid,
                interest_paid=row.interest_paid,
                fees_paid=fees.get(row.number, ZERO),
                status=installment_status(row, today),
            )
        )
    return result


def _fees_paid_by_installment(loan: Loan) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    rows = LedgerEntry.objects.filter(
        loan=loan, kind=EntryKind.FEE_PAID, installment_number__isnull=False
    ).values_list("installment_number", "amount")
    for number, amount in rows:
        if number is not None:  # the filter excludes it; this tells mypy
            totals[number] = totals.get(number, ZERO) + amount
    return totals


def ledger_balances(loan: Loan) -> dict[str, Decimal]:
    """Balances straight from the ledger (sums in Python: exact on SQLite too)."""
    sums: dict[str, Decimal] = {}
    for kind, amount in LedgerEntry.objects.filter(loan=loan).values_list(
        "kind", "amount"
    ):
        sums[kind] = sums.get(kind, ZERO) + amount

    def get(kind: str) -> Decimal:
        return sums.get(kind, ZERO)

    return {
        "principal": get(EntryKind.DISBURSEMENT)
        - get(EntryKind.PRINCIPAL_PAID)
        - get(EntryKind.PREPAYMENT)
        - get(EntryKind.WRITE_OFF),
        "fees": get(EntryKind.FEE_ASSESSED) - get(EntryKind.FEE_PAID),
        "interest_paid": get(EntryKind.INTEREST_PAID),
        "unapplied": get(EntryKind.UNAPPLIED),
    }


def bad_check_ledger() -> QuerySet[Payment]:
    """Every returned payment (NSF, returned ACH/card), newest first."""
    return (
        Payment.objects.filter(
            status=PaymentStatus.REVERSED,
            reversal_reason__in=[ReversalReason.NSF, ReversalReason.RETURNED],
        )
        .select_related("loan", "loan__customer", "reversed_by")
        .order_by("-reversed_at", "-pk")
    )


# --- lists with delinquency (back office, reports) ---


LoansWithDpd: TypeAlias = "QuerySet[Loan]"


def loan_list_with_dpd(as_of: date) -> LoansWithDpd:
    """Loans with what their DPD needs on the row: `oldest_unpaid_due`, kept
    by the engine with the schedule rows (indexed; no subquery over the
    installments). DPD = as_of − oldest_unpaid_due when past. `as_of` is
    kept for callers; the filter takes its own."""
    return Loan.objects.select_related("product", "customer", "officer")


def filter_by_dpd_bucket(loans: LoansWithDpd, bucket: str, as_of: date) -> LoansWithDpd:
    """Narrow a loan list to one DPD bucket, on the indexed oldest_unpaid_due."""
    from datetime import timedelta

    from django.db.models import Q

    low, high = DPD_BUCKETS[bucket]
    if low == 0:  # current: nothing unpaid, or the oldest not yet past due
        return loans.filter(
            Q(oldest_unpaid_due__isnull=True) | Q(oldest_unpaid_due__gte=as_of)
        )
    loans = loans.filter(oldest_unpaid_due__lte=as_of - timedelta(days=low))
    if high is not None:
        loans = loans.filter(oldest_unpaid_due__gte=as_of - timedelta(days=high))
    return loans


def days_past_due_from(oldest_unpaid_due: date | None, as_of: date) -> int:
    if oldest_unpaid_due is None:
        return 0
    return max((as_of - oldest_unpaid_due).days, 0)


# --- applications (underwriting) ---


@dataclass(frozen=True)
class UnderwritingFacts:
    billing_months: list[BillingPeriod]  # the last 12 BillingPeriod rows, newest first
    late_months: int
    delinquent_balance: Decimal
    turned_to_bad_debt: bool
    owner_matches: bool | None  # None when no property is named
    amount_within_limits: bool
    term_within_limit: bool
    lien_required: bool


def underwriting_facts(application: LoanApplication) -> UnderwritingFacts:
    """What a reviewer needs to decide: payment history, delinquency, bad debt,
    ownership of the property, and the request against the product's limits."""
    product = application.product
    account = application.account
    months = list(account.billing_periods.order_by("-period_start")[:12])
    amount = (application.approved_amount or application.requested_amount).amount
    owner = None
    if application.parcel is not None:
        owner = application.parcel.owners.filter(pk=application.customer_id).exists()
    threshold = product.lien_required_above
    return UnderwritingFacts(
        billing_months=months,
        late_months=sum(1 for m in months if m.paid_late),
        delinquent_balance=account.delinquent_balance.amount,
        turned_to_bad_debt=account.turned_to_bad_debt,
        owner_matches=owner,
        amount_within_limits=product.min_amount.amount
        <= amount
        <= product.max_amount.amount,
        term_within_limit=application.requested_term_months <= product.max_term_months,
        lien_required=bool(threshold and amount > threshold.amount),
    )
