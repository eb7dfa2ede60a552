from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from loans.services.collections import collection_letters_send
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Send the collection ladder's letters due on a date (after that night's "
        "aging run): each delinquent loan whose next step is a letter gets it."
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
            help="Hand the job to the task worker instead of running it here.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        if as_of > timezone.localdate():
            raise CommandError(
                f"Letters go out for today or an earlier day, not {as_of}."
            )
        if options["enqueue"]:
            from loans.tasks import collection_letters_task

            result = collection_letters_task.enqueue(as_of.isoformat())
            self.stdout.write(
                f"Collection letters for {as_of} queued (task {result.id})."
            )
            return
        try:
            sent = collection_letters_send(as_of=as_of, actor=self.acting_user())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Collection letters for {as_of}: {sent} sent.")
