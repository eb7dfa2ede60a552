"""Report services: one function per business action (see runs.py)."""

from regulatory_reports.services.runs import (
    report_changes,
    report_file,
    report_generate,
    report_review,
)

__all__ = ["report_changes", "report_file", "report_generate", "report_review"]
