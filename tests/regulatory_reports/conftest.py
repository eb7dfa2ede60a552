"""Fixtures of the reports' tests (the workflow's fake kind and a second
supervisor live in fake_kind.py)."""

from tests.regulatory_reports.fake_kind import supervisor_sam, test_kind

__all__ = ["supervisor_sam", "test_kind"]
