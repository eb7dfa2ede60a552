from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from liens.models.adequacy import ReviewClass
from liens.services.adequacy import adequacy_review_run
from portal.management.base import AuditedCommand
from portal.money import format_money


class Command(AuditedCommand):
    help = (
        "Run and record a deposit adequacy review for a date and class "
        "(residential, commercial or all); follow-ups are opened once."
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
            "--class",
            dest="customer_class",
            choices=ReviewClass.values,
            default=ReviewClass.ALL,
        )

    def run(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        try:
            review = adequacy_review_run(
                actor=self.acting_user(),
                as_of=as_of,
                customer_class=options["customer_class"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{review}: {review.accounts_reviewed} account(s) as of {as_of}; "
            f"{review.under_count} under-secured "
            f"({format_money(review.total_shortfall.amount)} short), "
            f"{review.over_count} over-secured "
            f"({format_money(review.total_excess.amount)} over), "
            f"{review.expiring.count()} instrument(s) expiring."
        )
