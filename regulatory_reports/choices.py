from django.db import models


class ReportStatus(models.TextChoices):
    GENERATED = "generated", "Generated"
    REVIEWED = "reviewed", "Reviewed"
    FILED = "filed", "Filed"


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"
