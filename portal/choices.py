from django.db import models


class CustomerKind(models.TextChoices):
    PERSON = "person", "Person"
    BUSINESS = "business", "Business"


class CustomerClass(models.TextChoices):
    RESIDENTIAL = "residential", "Residential"
    COMMERCIAL = "commercial", "Commercial"


class Service(models.TextChoices):
    ELECTRIC = "electric", "Electric"
    GAS = "gas", "Gas"
    WATER = "water", "Water"
    SEWER = "sewer", "Sewer"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    FINAL_BILLED = "final_billed", "Final billed"
    CLOSED = "closed", "Closed"
    # The billing system's word for a suspended account (account feed).
    INACTIVE = "inactive", "Inactive"


class DocumentType(models.TextChoices):
    APPLICATION = "application", "Application form"
    CONTRACTOR_PROPOSAL = "contractor_proposal", "Contractor's proposal"
    INVOICE = "invoice", "Invoice"
    PHOTO = "photo", "Photo"
    PROOF_OF_INCOME = "proof_of_income", "Proof of income"
    PROOF_OF_AGE = "proof_of_age", "Proof of age"
    DISABILITY_VERIFICATION = "disability_verification", "Disability verification"
    SIGNED_AGREEMENT = "signed_agreement", "Signed agreement"
    DEED = "deed", "Deed or proof of ownership"
    OTHER = "other", "Other"


class CorrespondenceChannel(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"


class ApprovalAction(models.TextChoices):
    """The decisions that need a second person (four-eyes) within a limit."""

    LOAN = "loan", "Loan approval"
    REBATE = "rebate", "Rebate or grant approval"
    SUBORDINATION = "subordination", "Lien subordination"
    WRITE_OFF = "write_off", "Write-off"
    REPORT_FILING = "report_filing", "Report filing"
    ADJUSTMENT = "adjustment", "Ledger adjustment"
    ARRANGEMENT = "arrangement", "Payment arrangement"
    DEPOSIT = "deposit", "Deposit decision"
