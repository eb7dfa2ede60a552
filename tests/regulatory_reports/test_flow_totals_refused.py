"""A kind whose totals don't equal its rows' sums is not generated: the
refusal is a ValidationError naming the section and column, and no run or
file is left behind (the files are written before the run is saved)."""

from django.core.exceptions import ValidationError

import pytest

from regulatory_reports.models import ReportFile, ReportRun
from regulatory_reports.services import report_generate
from tests.regulatory_reports.fake_kind import FakeKind


def test_totals_that_disagree_with_the_rows_generate_nothing(
    test_kind, supervisor_bob, monkeypatch
):
    build = FakeKind.build

    def wrong_totals(self, *, start, end):
        result = build(self, start=start, end=end)
        result.sections[0].totals["amount"] += 1
        return result

    monkeypatch.setattr(FakeKind, "build", wrong_totals)
    with pytest.raises(ValidationError) as refused:
        report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    assert refused.value.messages == [
        "The report was not generated: The Payment receipts totals don't match "
        "their rows (Amount: rows add up to 350.50, the report says 351.50)."
    ]
    assert not ReportRun.objects.exists()
    assert not ReportFile.objects.exists()
