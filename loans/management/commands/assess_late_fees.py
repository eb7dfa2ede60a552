from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from loans.services.late_fees import late_fees_assess
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = "Charge late fees on installments unpaid past the product's grace days."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def run(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        charged = late_fees_assess(actor=self.acting_user(), as_of=as_of)
        self.stdout.write(f"{charged} late fee(s) charged as of {as_of}.")
