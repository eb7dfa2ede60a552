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
    DELINQUENT = "delinquent", "Delinquent"
    DEFAULTED = "defaulted", "Defaulted"
    MATURED = "matured", "Matured with a balance"
    PAID_OFF = "paid_off", "Paid off"
    WRITTEN_OFF = "written_off", "Written off"


# Loans that owe money and take payments: the nightly job moves a loan among
# these (active <-> delinquent -> defaulted; past its final due date, matured).
OPEN_LOAN_STATUSES = (
    LoanStatus.ACTIVE,
    LoanStatus.DELINQUENT,
    LoanStatus.DEFAULTED,
    LoanStatus.MATURED,
)


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
    # A write-off posts one entry per part of the balance it takes off the
    # books; a recovery after it is money received against what was written off.
    WRITE_OFF = "write_off", "Write-off of principal"
    WRITE_OFF_INTEREST = "write_off_interest", "Write-off of interest"
    WRITE_OFF_FEES = "write_off_fees", "Write-off of fees"
    RECOVERY = "recovery", "Recovery after write-off"


class FeeKind(models.TextChoices):
    ORIGINATION = "origination", "Origination fee"
    LATE = "late", "Late fee"
    RETURNED_PAYMENT = "returned_payment", "Returned-payment fee"


class DisbursementStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    VOID = "void", "Void"


class ActionType(models.TextChoices):
    """What was done to collect a loan (the API's `type`)."""

    LETTER = "letter", "Letter"
    EMAIL = "email", "E-mail"
    CALL = "call", "Telephone call"
    VISIT = "visit", "Visit"
    PROMISE_TO_PAY = "promise_to_pay", "Promise to pay"
    ARRANGEMENT = "arrangement", "Payment arrangement"
    ATTORNEY_REFERRAL = "attorney_referral", "Referral to the City Attorney"
    JUDGMENT = "judgment", "Judgment"
    AGENCY_REFERRAL = "agency_referral", "Referral to a collection agency"
    WRITE_OFF = "write_off", "Write-off"
    GUARANTEE_CLAIM = "guarantee_claim", "State guarantee claim"


class ActionChannel(models.TextChoices):
    MAIL = "mail", "Mail"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    SYSTEM = "system", "System"


class PromiseStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    BROKEN = "broken", "Broken"


class WriteOffStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved and posted"
    REJECTED = "rejected", "Rejected"


class RecoverySource(models.TextChoices):
    """Who paid money back on a written-off loan."""

    BORROWER = "borrower", "The borrower"
    AGENCY = "agency", "Collection agency"
    JUDGMENT = "judgment", "Judgment collection"
    STATE_GUARANTEE = "state_guarantee", "State guarantee claim"


class ClaimStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared"
    SUBMITTED = "submitted", "Submitted to the State"
    PAID = "paid", "Paid by the State"
    DENIED = "denied", "Denied by the State"


class ArrangementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for approval"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed (kept)"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


# An arrangement that still binds the loan: at most one per loan.
OPEN_ARRANGEMENT_STATUSES = (ArrangementStatus.PROPOSED, ArrangementStatus.ACTIVE)
