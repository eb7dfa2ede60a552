"""`manage.py psc_report --period 2026-Q3 --output FILE.xlsx`: generate the
PSC report for a period that has ended (a new version; an amendment when the
period was filed) and write its workbook to FILE. Acts as the system user,
or as `--user NAME` (a person with the prepare-reports permission)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from portal.management.base import AuditedCommand
from regulatory_reports.choices import FileFormat
from regulatory_reports.models import ReportFile
from regulatory_reports.services import report_generate


class Command(AuditedCommand):
    help = (
        "Generate the PSC report for a period that has ended (2026-07, 2026-Q3 "
        "or FY2026) and write its workbook to --output."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--user", dest="acting_user", help="Act as this user.")
        parser.add_argument(
            "--period", required=True, help="2026-07, 2026-Q3 or FY2026"
        )
        parser.add_argument(
            "--output", required=True, type=Path, help="Where to write the XLSX."
        )
        parser.add_argument("--kind", default="psc", help="The report (default psc).")

    def run(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(f"There is no folder {output.parent} to write to.")
        try:
            run = report_generate(
                actor=self.acting_user(),
                kind=options["kind"],
                period_text=options["period"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        workbook = ReportFile.objects.filter(run=run, format=FileFormat.XLSX).first()
        if workbook is None:
            raise CommandError(f"{run} was generated but has no workbook.")
        with workbook.file.open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target)
        amends = f", amending version {run.amends.version}" if run.amends else ""
        self.stdout.write(
            f"{run} generated ({run.get_status_display().lower()}{amends}); "
            f"workbook written to {output} (SHA-256 {workbook.sha256})."
        )
