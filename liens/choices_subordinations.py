"""The states and kinds of subordination requests and their rules."""

from django.db import models


class SubordinationStatus(models.TextChoices):
    # received → in review → approved / denied → agreement recorded (or withdrawn)
    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    RECORDED = "recorded", "Agreement recorded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SubordinationPurpose(models.TextChoices):
    REFINANCE = "refinance", "Refinance"
    CASH_OUT = "cash_out_refinance", "Cash-out refinance"
    HOME_EQUITY = "home_equity", "Home-equity loan or line"
    OTHER = "other", "Other"


class SubordinationSource(models.TextChoices):
    STAFF = "staff", "Entered by staff"
    PUBLIC_FORM = "public_form", "Lender's web form"


class SubordinationRuleCode(models.TextChoices):
    LOAN_CURRENT = "loan_current", "Loan current"
    CLTV_MAX = "cltv_max", "Combined loan-to-value limit"
    FEE_PAID = "fee_paid", "Fee paid"
