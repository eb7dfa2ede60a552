from django.db import models


class ProgramType(models.TextChoices):
    REBATE = "rebate", "Rebate"
    GRANT = "grant", "Grant"
    INCENTIVE = "incentive", "Incentive"
    LOAN_REFERRAL = "loan_referral", "Loan referral"
    ASSISTANCE = "assistance", "Assistance"


class IncentiveKind(models.TextChoices):
    FIXED = "fixed", "Fixed amount"
    PER_UNIT = "per_unit", "Per unit"
    PERCENT_OF_COST = "percent_of_cost", "Percentage of invoiced cost (with cap)"


class MeasureLimit(models.TextChoices):
    NONE = "", "No limit"
    ONE_PER_PREMISE = "one_per_premise", "One per premise"
    LIFETIME_LIMIT = "lifetime_limit", "Lifetime limit"


class RebateStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    NEEDS_INFORMATION = "needs_information", "Needs information"
    INSPECTION_SCHEDULED = "inspection_scheduled", "Inspection scheduled"
    INSPECTED = "inspected", "Inspected"
    APPROVED = "approved", "Approved (budget reserved)"
    DENIED = "denied", "Denied"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class RebatePaymentMethod(models.TextChoices):
    CHECK = "check", "Check"
    BILL_CREDIT = "bill_credit", "Credit on the utility bill"


class RebatePaymentStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    VOID = "void", "Void"
