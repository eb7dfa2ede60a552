"""A filed run never changes: the service, the model and its files refuse."""

from django.core.exceptions import ValidationError

import pytest

from regulatory_reports.models import FiledReportError, ReportFile, ReportRun
from regulatory_reports.services import report_file, report_generate, report_review

FINAL = (
    "Test receipts report 2026-Q3 v1 is filed: nothing about a filed report can change."
)


@pytest.fixture
def filed(test_kind, supervisor_bob, supervisor_sam):
    run = report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    run = report_review(actor=supervisor_sam, run=run)
    return report_file(actor=supervisor_sam, run=run)


def test_reviewing_or_filing_a_filed_run_again_is_refused(filed, supervisor_sam):
    with pytest.raises(ValidationError, match="is filed; it can't be reviewed"):
        report_review(actor=supervisor_sam, run=filed)
    with pytest.raises(ValidationError, match="is filed; it can't be filed"):
        report_file(actor=supervisor_sam, run=filed)


def test_the_model_refuses_to_save_a_changed_filed_run(filed):
    run = ReportRun.objects.get(pk=filed.pk)
    run.figures = {"receipts": {"count": 2, "amount": "999.99"}}
    with pytest.raises(FiledReportError) as refused:
        run.save()
    assert refused.value.messages == [FINAL]
    # Even "un-filing" it in memory first changes nothing.
    run.status = "generated"
    with pytest.raises(FiledReportError):
        run.save()
    assert ReportRun.objects.get(pk=filed.pk).figures == {
        "receipts": {"count": 2, "amount": "350.50"}
    }


def test_the_model_refuses_to_delete_a_filed_run(filed):
    with pytest.raises(FiledReportError):
        ReportRun.objects.get(pk=filed.pk).delete()
    assert ReportRun.objects.filter(pk=filed.pk).exists()


def test_the_files_of_a_filed_run_cannot_change_or_go(filed):
    report_file_row = ReportFile.objects.filter(run=filed).first()
    sha = report_file_row.sha256
    report_file_row.sha256 = "0" * 64
    with pytest.raises(FiledReportError):
        report_file_row.save()
    with pytest.raises(FiledReportError):
        report_file_row.delete()
    assert ReportFile.objects.get(pk=report_file_row.pk).sha256 == sha


def test_an_unfiled_run_may_still_be_saved(test_kind, supervisor_bob):
    run = report_generate(actor=supervisor_bob, kind="test_kind", period_text="2026-Q3")
    run.save()  # no refusal: only filed versions are final
    assert ReportRun.objects.get(pk=run.pk).status == "generated"


def test_bulk_updates_and_deletes_refuse_filed_runs_and_their_files(filed):
    with pytest.raises(FiledReportError):
        ReportRun.objects.filter(pk=filed.pk).update(status="generated")
    with pytest.raises(FiledReportError):
        ReportRun.objects.filter(pk=filed.pk).delete()
    with pytest.raises(FiledReportError):
        ReportFile.objects.filter(run=filed).update(sha256="0" * 64)
    with pytest.raises(FiledReportError):
        ReportFile.objects.filter(run=filed).delete()
    assert ReportRun.objects.get(pk=filed.pk).status == "filed"
    assert ReportFile.objects.filter(run=filed).exclude(sha256="0" * 64).exists()
