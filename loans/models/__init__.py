"""Loan products, applications, loans, their schedules, payments and the
append-only ledger (book.py); each later kind of record has a module of its own.

In the back office: Loans menu (loans/wagtail_hooks.py).
"""

from loans.models.aging import AgingRun, AgingTrigger
from loans.models.book import (
    IMMUTABLE,
    MONEY,
    Disbursement,
    Installment,
    LedgerEntry,
    LedgerEntryQuerySet,
    Loan,
    LoanApplication,
    LoanProduct,
    Payment,
    PaymentBatch,
    PostedEntryError,
    amount_field,
)
from loans.models.collections import CollectionAction

__all__ = [
    "AgingRun",
    "AgingTrigger",
    "CollectionAction",
    "IMMUTABLE",
    "MONEY",
    "Disbursement",
    "Installment",
    "LedgerEntry",
    "LedgerEntryQuerySet",
    "Loan",
    "LoanApplication",
    "LoanProduct",
    "Payment",
    "PaymentBatch",
    "PostedEntryError",
    "amount_field",
]
