from django.db import models


class ReportStatus(models.TextChoices):
    GENERATED = "generated", "Generated"
    REVIEWED = "reviewed", "Reviewed"
    FILED = "filed", "Filed"


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


class GLRole(models.TextChoices):
    """What a general-ledger account is for in the loans' journal export; the
    city's account code for each is data (`GLAccount`)."""

    CASH = "cash", "Cash"
    LOANS_RECEIVABLE = "loans_receivable", "Loans receivable"
    FEES_RECEIVABLE = "fees_receivable", "Fees receivable"
    INTEREST_INCOME = "interest_income", "Interest income"
    FEE_INCOME = "fee_income", "Fee income"
    WRITE_OFF_EXPENSE = "write_off_expense", "Write-off expense"
    RECOVERIES = "recoveries", "Recoveries of loans written off"
    REFUNDS_PAYABLE = "refunds_payable", "Unapplied cash (refunds payable)"
