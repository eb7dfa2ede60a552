"""The PSC report's reads: set-based queries over the ledger, one per
section, for the loans of every `state_guaranteed` product.

Sums are taken in whole cents inside the database where SQLite would
otherwise add binary floats, and turned back into Decimal here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from loans.choices import (
    ActionType,
    ClaimStatus,
    EntryKind,
    PaymentMethod,
    PaymentStatus,
)
from loans.engine import ALLOCATION_KINDS
from loans.models import (
    CollectionAction,
    Installment,
    LedgerEntry,
    Loan,
    LoanProduct,
    Payment,
)
from loans.schedule import dpd_bucket
from loans.selectors_recovery import guarantee_claims_in_period, write_offs_in_period
from portal.models import Customer
from regulatory_reports.kinds import ZERO

CENT = Decimal("0.01")
AMOUNT = DecimalField(max_digits=16, decimal_places=2)
PRINCIPAL_OUT = (EntryKind.PRINCIPAL_PAID, EntryKind.PREPAYMENT)
PRINCIPAL_KINDS = (EntryKind.DISBURSEMENT, *PRINCIPAL_OUT, EntryKind.WRITE_OFF)
GUARANTEED = Q(loan__product__state_guaranteed=True)
CUSTOMER = (
    "loan__customer__kind",
    "loan__customer__first_name",
    "loan__customer__last_name",
    "loan__customer__business_name",
)


def _name(kind: str, first: str, last: str, business: str) -> str:
    # Customer.display_name, from the columns (no model per row).
    if kind == "business":
        return business
    return " ".join(p for p in [first, last] if p)


def _customer(row: Mapping[str, Any], prefix: str = "loan__customer__") -> str:
    return _name(
        row[prefix + "kind"],
        row[prefix + "first_name"],
        row[prefix + "last_name"],
        row[prefix + "business_name"],
    )


def _dec(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def _cents(value: Any) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(CENT)


def _sum(condition: Q) -> Coalesce:
    return Coalesce(
        Sum("amount", filter=condition, output_field=AMOUNT),
        Value(ZERO),
        output_field=AMOUNT,
    )


# --- summary -------------------------------------------------------------


def principal_by_loan(
    start: date, end: date
) -> Iterator[tuple[str, Decimal, Decimal, Decimal, Decimal, Decimal]]:
    """Per guaranteed loan with principal entries by `end`: (number, principal
    before `start`, disbursed, principal received, written off in the period,
    principal at `end`). One grouped query."""
    before = Q(effective_on__lt=start)
    within = Q(effective_on__gte=start)
    out = Q(kind__in=PRINCIPAL_OUT)
    rows = (
        LedgerEntry.objects.filter(
            GUARANTEED, effective_on__lte=end, kind__in=PRINCIPAL_KINDS
        )
        .values("loan_id", "loan__number")
        .order_by("loan__number")
        .annotate(
            lent_before=_sum(before & Q(kind=EntryKind.DISBURSEMENT)),
            out_before=_sum(before & ~Q(kind=EntryKind.DISBURSEMENT)),
            disbursed=_sum(within & Q(kind=EntryKind.DISBURSEMENT)),
            received=_sum(within & out),
            written_off=_sum(within & Q(kind=EntryKind.WRITE_OFF)),
            lent=_sum(Q(kind=EntryKind.DISBURSEMENT)),
            repaid=_sum(~Q(kind=EntryKind.DISBURSEMENT)),
        )
    )
    for row in rows.iterator(chunk_size=5000):
        yield (
            row["loan__number"],
            _dec(row["lent_before"]) - _dec(row["out_before"]),
            _dec(row["disbursed"]),
            _dec(row["received"]),
            _dec(row["written_off"]),
            # Summed on its own (not start + flows) so the check means something.
            _dec(row["lent"]) - _dec(row["repaid"]),
        )


def received_in_period(start: date, end: date) -> dict[str, Decimal]:
    """Interest and fees received, net of reversals made in the period."""
    within = LedgerEntry.objects.filter(GUARANTEED, effective_on__range=(start, end))
    totals = within.aggregate(
        interest=_sum(Q(kind=EntryKind.INTEREST_PAID)),
        fees=_sum(Q(kind=EntryKind.FEE_PAID)),
    )
    return {key: _dec(value) for key, value in totals.items()}


# --- receipts --------------------------------------------------------------


def receipt_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """The receipts section, from each payment's ledger entries in the period.

    - Every payment received in the period: one row on its received day with
      `amount` the payment and its allocation as it stands at the period's
      end (re-allocations in the period included, later ones not).
    - A payment returned in the period: a negative row on the day of its
      return, the allocation taken back then.
    - A payment received before the period and re-allocated in it (an
      earlier payment returned, a back-dated one, a late fee): a row of
      amount 0.00 on that day with the change of its allocation.

    So the rows' allocation columns add up to what the ledger says was
    received in the period, and `count` is net (received +1, returned −1,
    re-allocated 0). Received rows first, then the others; each by date,
    loan. Amounts summed in whole cents."""
    ledger, payment = _table(LedgerEntry), _table(Payment)
    loan, product, customer = _table(Loan), _table(LoanProduct), _table(Customer)
    allocation = tuple(ALLOCATION_KINDS)
    alloc_marks = ", ".join(["%s"] * len(allocation))
    sql = f"""
        WITH cand AS (
            SELECT p.id FROM {payment} p
            JOIN {loan} l ON l.id = p.loan_id
            JOIN {product} pr ON pr.id = l.product_id
            WHERE pr.state_guaranteed = %s AND p.received_on BETWEEN %s AND %s
            UNION
            SELECT e.payment_id FROM {ledger} e
            JOIN {loan} l ON l.id = e.loan_id
            JOIN {product} pr ON pr.id = l.product_id
            WHERE pr.state_guaranteed = %s AND e.payment_id IS NOT NULL
              AND e.reverses_id IS NOT NULL AND e.effective_on BETWEEN %s AND %s
        ),
        ret AS (
            SELECT e.payment_id, MAX(e.effective_on) AS day
            FROM {ledger} e
            JOIN cand ON cand.id = e.payment_id
            JOIN {payment} p ON p.id = e.payment_id
            WHERE p.status = %s AND e.reverses_id IS NOT NULL
            GROUP BY e.payment_id
        ),
        tagged AS (
            SELECT p.id AS payment_id,
                   CASE WHEN ret.day = e.effective_on
                             AND NOT (ret.day = p.received_on AND e.reverses_id IS NULL)
                        THEN 2
                        WHEN p.received_on >= %s THEN 0
                        ELSE 1 END AS row_kind,
                   e.effective_on AS eday, e.kind, e.amount
            FROM cand
            JOIN {payment} p ON p.id = cand.id
            JOIN {ledger} e ON e.payment_id = p.id
            LEFT JOIN ret ON ret.payment_id = p.id
            WHERE e.kind IN ({alloc_marks}) AND e.effective_on BETWEEN %s AND %s
        )
        SELECT p.id, COALESCE(t.row_kind, 0),
               CASE WHEN COALESCE(t.row_kind, 0) = 0 THEN p.received_on ELSE t.eday END,
               l.number, c.kind, c.first_name, c.last_name, c.business_name,
               p.method, p.reference, ROUND(p.amount * 100), p.received_on,
               SUM(CASE WHEN t.kind IN (%s, %s) THEN ROUND(t.amount * 100) ELSE 0 END),
               SUM(CASE WHEN t.kind = %s THEN ROUND(t.amount * 100) ELSE 0 END),
               SUM(CASE WHEN t.kind = %s THEN ROUND(t.amount * 100) ELSE 0 END)
        FROM cand
        JOIN {payment} p ON p.id = cand.id
        JOIN {loan} l ON l.id = p.loan_id
        JOIN {customer} c ON c.id = l.customer_id
        LEFT JOIN tagged t ON t.payment_id = p.id
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
        ORDER BY CASE WHEN COALESCE(t.row_kind, 0) = 0 THEN 0 ELSE 1 END, 3, 4, 1
    """  # noqa: S608 - table names are ours, values are parameters
    params: list[Any] = [
        True,
        start,
        end,
        True,
        start,
        end,
        PaymentStatus.REVERSED,
        start,
        *allocation,
        start,
        end,
        *PRINCIPAL_OUT,
        EntryKind.INTEREST_PAID,
        EntryKind.FEE_PAID,
    ]
    methods = dict(PaymentMethod.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for (
        _pk,
        row_kind,
        day,
        number,
        kind,
        first,
        last,
        business,
        method,
        reference,
        amount,
        received_on,
        principal,
        interest,
        fees,
    ) in rows:
        if not isinstance(day, date):
            day = date.fromisoformat(str(day))
        if not isinstance(received_on, date):
            received_on = date.fromisoformat(str(received_on))
        if row_kind == 0 and not start <= received_on <= end:
            continue  # received before the period, nothing of it moved in it
        label = methods.get(method, method)
        if row_kind == 0:
            signed, count = _cents(amount), 1
        elif row_kind == 2:
            signed, count = -_cents(amount), -1
        else:
            signed, count = ZERO, 0
            label = f"{label} (re-allocated)"
        yield {
            "loan": number,
            "customer": _name(kind, first, last, business),
            "date": day,
            "method": label,
            "reference": reference,
            "amount": signed,
            "principal": _cents(principal),
            "interest": _cents(interest),
            "fees": _cents(fees),
            # Not a column: what the row counts in the net `count`.
            "count": count,
        }


# --- matured ---------------------------------------------------------------


def _ledger_sum_by(day: Any, kinds: tuple[str, ...], signed: bool) -> Subquery:
    amount: Any = F("amount")
    if signed:
        amount = Case(
            When(kind=EntryKind.DISBURSEMENT, then=F("amount")),
            default=-F("amount"),
            output_field=AMOUNT,
        )
    return Subquery(
        LedgerEntry.objects.filter(
            loan=OuterRef("pk"), kind__in=kinds, effective_on__lte=day
        )
        .order_by()
        .values("loan")
        .annotate(total=Sum(amount, output_field=AMOUNT))
        .values("total"),
        output_field=AMOUNT,
    )


def matured_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """Loans whose final due date falls in the period: original principal,
    principal + interest + fees paid by that date, principal balance then."""
    # The last installment by number: installment k falls due k - 1 months
    # after the first (loans.schedule.due_date), so it is also the last due;
    # read by number, one probe of the (loan, number) index per loan instead
    # of sorting each loan's installments by date.
    final = Subquery(
        Installment.objects.filter(loan=OuterRef("pk"))
        .order_by("-number")
        .values("due_date")[:1]
    )
    paid_kinds = (*PRINCIPAL_OUT, EntryKind.INTEREST_PAID, EntryKind.FEE_PAID)
    rows = (
        Loan.objects.filter(product__state_guaranteed=True)
        .annotate(final_due=final)
        .filter(final_due__range=(start, end))
        .annotate(
            repaid=_ledger_sum_by(OuterRef("final_due"), paid_kinds, False),
            balance=_ledger_sum_by(OuterRef("final_due"), PRINCIPAL_KINDS, True),
        )
        .values(
            "number",
            "customer__kind",
            "customer__first_name",
            "customer__last_name",
            "customer__business_name",
            "final_due",
            "principal",
            "repaid",
            "balance",
        )
        .order_by("final_due", "number")
    )
    for row in rows.iterator(chunk_size=5000):
        balance = _dec(row["balance"])
        yield {
            "loan": row["number"],
            "customer": _customer(row, "customer__"),
            "final_due": row["final_due"],
            "original_principal": _dec(row["principal"]),
            "repaid": _dec(row["repaid"]),
            "balance": balance,
            "status": "Paid off" if balance == 0 else "Matured with a balance",
        }


# --- delinquent ------------------------------------------------------------


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def delinquent_rows(as_of: date) -> list[dict[str, Any]]:
    """Guaranteed loans with principal outstanding and days past due >= 1 as
    of `as_of`, counting only allocations effective by then (an allocation
    is never dated before its payment was received, so these are all of
    payments received by then): oldest unpaid installment due before the day, the
    unpaid principal + interest of the installments due before it, and the
    ledger's principal then. One query; amounts in whole cents."""
    ledger = _table(LedgerEntry)
    installment, loan = _table(Installment), _table(Loan)
    product, customer = _table(LoanProduct), _table(Customer)
    sql = f"""
        WITH balance AS (
            SELECT e.loan_id,
                   SUM(CASE WHEN e.kind = %s THEN ROUND(e.amount * 100)
                            ELSE -ROUND(e.amount * 100) END) AS cents
            FROM {ledger} e
            JOIN {loan} l ON l.id = e.loan_id
            JOIN {product} pr ON pr.id = l.product_id
            WHERE pr.state_guaranteed = %s AND e.effective_on <= %s
              AND e.kind IN (%s, %s, %s, %s)
            GROUP BY e.loan_id
        ),
        paid AS (
            SELECT e.loan_id, e.installment_number AS number,
                   SUM(ROUND(e.amount * 100)) AS cents
            FROM {ledger} e
            JOIN balance b ON b.loan_id = e.loan_id AND b.cents > 0
            WHERE e.kind IN (%s, %s) AND e.installment_number IS NOT NULL
              AND e.effective_on <= %s
            GROUP BY e.loan_id, e.installment_number
        ),
        due AS (
            SELECT i.loan_id, MIN(i.due_date) AS oldest,
                   SUM(ROUND((i.principal + i.interest) * 100)
                       - COALESCE(paid.cents, 0)) AS cents
            FROM {installment} i
            JOIN balance b ON b.loan_id = i.loan_id
            LEFT JOIN paid ON paid.loan_id = i.loan_id AND paid.number = i.number
            WHERE i.due_date < %s AND b.cents > 0
              AND ROUND((i.principal + i.interest) * 100) > COALESCE(paid.cents, 0)
            GROUP BY i.loan_id
        )
        SELECT l.number, c.kind, c.first_name, c.last_name, c.business_name,
               due.oldest, due.cents, b.cents
        FROM due
        JOIN balance b ON b.loan_id = due.loan_id
        JOIN {loan} l ON l.id = due.loan_id
        JOIN {customer} c ON c.id = l.customer_id
        ORDER BY l.number
    """  # noqa: S608 - table names are ours, values are parameters
    params: list[Any] = [
        EntryKind.DISBURSEMENT,
        True,
        as_of,
        *PRINCIPAL_KINDS,
        EntryKind.INTEREST_PAID,
        EntryKind.PRINCIPAL_PAID,
        as_of,
        as_of,
    ]
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for number, kind, first, last, business, oldest, due, principal in cursor:
            if not isinstance(oldest, date):
                oldest = date.fromisoformat(str(oldest))
            dpd = (as_of - oldest).days
            rows.append(
                {
                    "loan": number,
                    "customer": _name(kind, first, last, business),
                    "bucket": dpd_bucket(dpd),
                    "dpd": dpd,
                    "past_due": _cents(due),
                    "principal": _cents(principal),
                }
            )
    return rows


# --- actions -----------------------------------------------------------


def action_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """Collection actions recorded in the period on guaranteed loans (they
    are recorded only on loans being collected), by date."""
    types = dict(ActionType.choices)
    rows = (
        CollectionAction.objects.filter(GUARANTEED, date__range=(start, end))
        .values("date", "loan__number", *CUSTOMER, "type", "outcome")
        .order_by("date", "loan__number", "pk")
    )
    for row in rows.iterator(chunk_size=5000):
        yield {
            "date": row["date"],
            "loan": row["loan__number"],
            "customer": _customer(row),
            "type": types.get(row["type"], row["type"]),
            "type_key": row["type"],
            "outcome": row["outcome"],
        }


def write_off_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    for w in write_offs_in_period(start, end).filter(GUARANTEED):
        yield {
            "date": w.as_of,
            "loan": w.loan.number,
            "customer": w.loan.customer.display_name,
            "principal": w.principal,
            "interest": w.interest,
            "fees": w.fees,
            "total": w.total,
        }


def claim_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """Claims submitted or paid in the period: the amount claimed counts in
    the period it was submitted, the amount received in the period paid."""
    for c in guarantee_claims_in_period(start, end).filter(GUARANTEED):
        submitted = c.submitted_on is not None and start <= c.submitted_on <= end
        paid = c.paid_on is not None and start <= c.paid_on <= end
        yield {
            "loan": c.loan.number,
            "customer": c.loan.customer.display_name,
            "submitted_on": c.submitted_on,
            "claimed": c.principal_claimed if submitted else ZERO,
            "paid_on": c.paid_on,
            "received": (c.amount_received or ZERO) if paid else ZERO,
            "status": ClaimStatus(c.status).label,
        }
