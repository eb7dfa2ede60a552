from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from loans.models import AgingTrigger
from loans.services.aging import aging_run
from loans.words import dpd_bucket_words
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "The nightly aging run for a date: charge late fees, move loans between "
        "active, delinquent, defaulted and matured, and record the run."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the task worker (manage.py db_worker) "
            "instead of running it here; what cron or a systemd timer calls.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        if options["enqueue"]:
            from loans.tasks import aging_run_task

            if as_of > timezone.localdate():
                raise CommandError(
                    f"Aging runs for today or an earlier day, not {as_of}."
                )
            result = aging_run_task.enqueue(as_of.isoformat())
            self.stdout.write(f"Aging as of {as_of} queued (task {result.id}).")
            return
        try:
            run = aging_run(
                as_of=as_of, actor=self.acting_user(), trigger=AgingTrigger.COMMAND
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Aging as of {as_of}: {run.loans} open loan(s).")
        for name, count in run.bucket_counts().items():
            self.stdout.write(f"  {dpd_bucket_words(name)}: {count}")
        self.stdout.write(
            f"Late fees: {run.late_fees_count} (${run.late_fees_amount:,.2f}). "
            f"Delinquent {run.to_delinquent}, current again {run.to_active}, "
            f"defaulted {run.to_defaulted}, matured {run.to_matured}."
        )
        if run.duration is not None:
            self.stdout.write(f"Took {run.duration.total_seconds():.1f} s.")
