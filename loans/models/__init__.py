"""Loan products, applications, loans, their schedules, payments and the
append-only ledger (book.py); each later kind of record has a module of its own.

In the back office: Loans menu (loans/wagtail_hooks.py).
"""

from loans.models.aging import AgingRun, AgingTrigger
from loans.models.arrangements import ArrangementPayment, PaymentArrangement
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
from loans.models.collections import CollectionAction, CollectionStep
from loans.models.counts import LoanDayCount
from loans.models.letters import (
    PLACEHOLDERS,
    LetterKind,
    LetterTemplate,
    LoanCorrespondence,
    Statement,
)
from loans.models.recovery import (
    AgencyPlacement,
    AttorneyReferral,
    GuaranteeClaim,
    Judgment,
    Recovery,
    WriteOff,
)

__all__ = [
    "LoanDayCount",
    "IMMUTABLE",
    "MONEY",
    "PLACEHOLDERS",
    "AgencyPlacement",
    "AgingRun",
    "AgingTrigger",
    "ArrangementPayment",
    "AttorneyReferral",
    "CollectionAction",
    "CollectionStep",
    "Disbursement",
    "GuaranteeClaim",
    "Installment",
    "Judgment",
    "LedgerEntry",
    "LedgerEntryQuerySet",
    "LetterKind",
    "LetterTemplate",
    "Loan",
    "LoanApplication",
    "LoanCorrespondence",
    "LoanProduct",
    "Payment",
    "PaymentArrangement",
    "PaymentBatch",
    "PostedEntryError",
    "Recovery",
    "Statement",
    "WriteOff",
    "amount_field",
]
