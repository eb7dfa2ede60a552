"""The filing workflow: generate → review by a second person → file."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from regulatory_reports.models import ReportFile, ReportRun
from regulatory_reports.services import report_file, report_generate, report_review


def generate(actor, period="2026-Q3"):
    return report_generate(actor=actor, kind="test_kind", period_text=period)


def test_generation_freezes_the_figures_of_the_period_and_writes_files(
    test_kind, supervisor_bob
):
    run = generate(supervisor_bob)
    assert (run.kind, run.period, run.version, run.status) == (
        "test_kind",
        "2026-Q3",
        1,
        "generated",
    )
    assert (run.start.isoformat(), run.end.isoformat()) == ("2026-07-01", "2026-09-30")
    assert run.figures == {"receipts": {"count": 2, "amount": "350.50"}}
    assert run.generated_by == supervisor_bob
    assert run.amends is None and run.changes == []
    assert run.loan_figures == {
        "receipts": {
            "ZI-0001": {"rows": 1, "amount": "100.00"},
            "ZI-0002": {"rows": 1, "amount": "250.50"},
        }
    }
    files = list(ReportFile.objects.filter(run=run))
    assert files and all(len(f.sha256) == 64 for f in files)
    assert run.history.first().history_change_reason == (
        "Test receipts report 2026-Q3 version 1 generated"
    )


def test_a_second_supervisor_reviews_and_anyone_with_review_files(
    test_kind, supervisor_bob, supervisor_sam
):
    run = generate(supervisor_bob)
    run = report_review(actor=supervisor_sam, run=run)
    assert (run.status, run.reviewed_by) == ("reviewed", supervisor_sam)
    run = report_file(actor=supervisor_sam, run=run)
    run.refresh_from_db()
    assert (run.status, run.filed_by) == ("filed", supervisor_sam)
    assert run.filed_at is not None and run.reviewed_at is not None


def test_the_generator_cannot_review_their_own_run(test_kind, supervisor_bob):
    run = generate(supervisor_bob)
    with pytest.raises(ValidationError) as refused:
        report_review(actor=supervisor_bob, run=run)
    assert refused.value.messages == [
        "The person who generated a report can't review it."
    ]
    run.refresh_from_db()
    assert run.status == "generated" and run.reviewed_by is None


def test_filing_before_review_is_refused_for_the_state(
    test_kind, supervisor_bob, supervisor_sam
):
    run = generate(supervisor_bob)
    with pytest.raises(ValidationError) as refused:
        report_file(actor=supervisor_sam, run=run)
    assert refused.value.messages == [
        "Test receipts report 2026-Q3 v1 is generated; it can't be filed from there."
    ]


def test_reviewing_twice_is_refused(test_kind, supervisor_bob, supervisor_sam):
    run = report_review(actor=supervisor_sam, run=generate(supervisor_bob))
    with pytest.raises(ValidationError, match="is reviewed; it can't be reviewed"):
        report_review(actor=supervisor_sam, run=run)


def test_an_unfinished_period_is_refused_on_period_and_nothing_is_made(
    test_kind, supervisor_bob
):
    with pytest.raises(ValidationError) as refused:
        generate(supervisor_bob, period="2026-Q4")
    assert list(refused.value.message_dict) == ["period"]
    assert "has not ended yet" in refused.value.message_dict["period"][0]
    assert not ReportRun.objects.exists()


def test_a_report_that_must_not_be_generated_names_the_loans(test_kind, supervisor_bob):
    test_kind["broken"] = ["ZI-0002"]
    with pytest.raises(ValidationError) as refused:
        generate(supervisor_bob)
    assert refused.value.messages == [
        "The report was not generated: the reconciliation fails for loans ZI-0002"
    ]
    assert not ReportRun.objects.exists()


def test_program_staff_and_the_auditor_may_not_generate(
    test_kind, staff_alice, auditor_audrey
):
    for person in (staff_alice, auditor_audrey):
        with pytest.raises(PermissionDenied):
            generate(person)
    assert not ReportRun.objects.exists()


def test_the_auditor_may_not_review(test_kind, supervisor_bob, auditor_audrey):
    run = generate(supervisor_bob)
    with pytest.raises(ValidationError, match="permission to review reports"):
        report_review(actor=auditor_audrey, run=run)


def test_a_regeneration_supersedes_an_unfiled_run(
    test_kind, supervisor_bob, supervisor_sam
):
    first = generate(supervisor_bob)
    test_kind["payments"].append(("ZI-0004", first.start, Decimal("1.00")))
    second = generate(supervisor_bob)
    assert (second.version, second.amends, second.changes) == (2, None, [])
    with pytest.raises(ValidationError) as refused:
        report_review(actor=supervisor_sam, run=first)
    assert refused.value.messages == [
        "Test receipts report 2026-Q3 v1 was superseded by version 2; "
        "review and file that one."
    ]
    assert report_review(actor=supervisor_sam, run=second).status == "reviewed"
