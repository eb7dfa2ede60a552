from django.db import models


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    NEEDS_INFORMATION = "needs_information", "Needs information"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LoanStatus(models.TextChoices):
    CLOSING = "closing", "Closing (not yet disbursed)"
    ACTIVE = "active", "Active"
    PAID_OFF = "paid_off", "Paid off"
    DEFAULTED = "defaulted", "Defaulted"
    WRITTEN_OFF = "written_off", "Written off"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    ACH = "ach", "ACH"
    CARD = "card", "Card"
    ON_BILL = "on_bill", "On the utility bill"


class PaymentStatus(models.TextChoices):
    POSTED = "posted", "Posted"
    REVERSED = "reversed", "Reversed"


class ReversalReason(models.TextChoices):
    NSF = "nsf", "Returned check (NSF)"
    RETURNED = "returned", "Returned payment (ACH/card)"
    POSTING_ERROR = "posting_error", "Posting error"


class EntryKind(models.TextChoices):
    """Ledger entry kinds. Amounts are positive for what they name; a reversal
    entry carries the negated amount of the entry it reverses."""

    DISBURSEMENT = "disbursement", "Disbursement (principal lent)"
    FEE_ASSESSED = "fee_assessed", "Fee assessed"
    FEE_PAID = "fee_paid", "Payment to fees"
    INTEREST_PAID = "interest_paid", "Payment to interest"
    PRINCIPAL_PAID = "principal_paid", "Payment to principal"
    PREPAYMENT = "prepayment", "Prepayment of principal"
    UNAPPLIED = "unapplied", "Unapplied (to refund)"
    WRITE_OFF = "write_off", "Write-off"


class FeeKind(models.TextChoices):
    ORIGINATION = "origination", "Origination fee"
    LATE = "late", "Late fee"
    RETURNED_PAYMENT = "returned_payment", "Returned-payment fee"


class DisbursementStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    VOID = "void", "Void"
