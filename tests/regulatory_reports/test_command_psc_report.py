"""`manage.py psc_report --period … --output FILE.xlsx`."""

import hashlib
from io import StringIO

from django.core.management import CommandError, call_command

import pytest
from openpyxl import load_workbook

from regulatory_reports.models import ReportFile, ReportRun


def test_the_command_generates_as_the_system_user_and_writes_the_workbook(
    test_kind, tmp_path
):
    target = tmp_path / "q3.xlsx"
    out = StringIO()
    call_command(
        "psc_report",
        "--kind",
        "test_kind",
        "--period",
        "2026-Q3",
        "--output",
        str(target),
        stdout=out,
    )
    run = ReportRun.objects.get()
    assert (run.period, run.version, run.generated_by.username) == (
        "2026-Q3",
        1,
        "system",
    )
    workbook = ReportFile.objects.get(run=run, format="xlsx")
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == workbook.sha256
    assert load_workbook(target).sheetnames  # a real workbook
    assert "workbook written to" in out.getvalue()


def test_the_command_acts_as_the_given_user(test_kind, supervisor_bob, tmp_path):
    call_command(
        "psc_report",
        "--kind",
        "test_kind",
        "--period",
        "2026-07",
        "--output",
        str(tmp_path / "july.xlsx"),
        "--user",
        "bob",
        stdout=StringIO(),
    )
    assert ReportRun.objects.get().generated_by == supervisor_bob


def test_a_bad_period_is_a_clear_error_and_nothing_is_written(test_kind, tmp_path):
    target = tmp_path / "q4.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command(
            "psc_report",
            "--kind",
            "test_kind",
            "--period",
            "2026-Q4",
            "--output",
            str(target),
        )
    assert str(refused.value) == (
        "2026-Q4 has not ended yet (it ends on 2026-12-31); report it from 2027-01-01."
    )
    assert not target.exists() and not ReportRun.objects.exists()


def test_a_person_without_the_permission_is_refused(test_kind, staff_alice, tmp_path):
    with pytest.raises(CommandError, match="permission to prepare reports"):
        call_command(
            "psc_report",
            "--kind",
            "test_kind",
            "--period",
            "2026-Q3",
            "--output",
            str(tmp_path / "x.xlsx"),
            "--user",
            "alice",
        )


def test_a_bad_period_exits_non_zero_from_the_shell(test_kind, tmp_path):
    # CommandError is what manage.py turns into exit status 1.
    from django.core.management import load_command_class

    command = load_command_class("regulatory_reports", "psc_report")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            [
                "manage.py",
                "psc_report",
                "--kind",
                "test_kind",
                "--period",
                "nonsense",
                "--output",
                str(tmp_path / "x.xlsx"),
            ]
        )
    assert exited.value.code == 1
