from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from loans.services.batch import BatchRejected, payment_batch_post
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Post a cashiering/lockbox payment file (CSV or XLSX; layout in "
        "loans/services/batch.py). All or nothing: any bad row posts nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("path", type=Path)

    def run(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            result = payment_batch_post(
                actor=self.acting_user(),
                file_name=path.name,
                content=path.read_bytes(),
            )
        except BatchRejected as rejected:
            raise CommandError(
                "Nothing was posted:\n" + "\n".join(str(e) for e in rejected.row_errors)
            ) from None
        self.stdout.write(
            f"Posted {result.posted} payment(s) totalling ${result.total:,.2f}; "
            f"{result.already_posted} already posted."
        )
