from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from loans.services.statements import month_end, statements_produce_month
from portal.management.base import AuditedCommand


def _month(text: str) -> date:
    """YYYY-MM (or any date in the month)."""
    return date.fromisoformat(f"{text}-01" if len(text) == 7 else text)


class Command(AuditedCommand):
    help = (
        "Produce the monthly statement of every open loan through the month's "
        "last day (default: last month). Safe to re-run: a loan's statement "
        "for that month is made once."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--month", type=_month, default=None, help="YYYY-MM")

    def run(self, *args: Any, **options: Any) -> None:
        month = options["month"]
        if month is None:
            # Last month: the day before this month's first, then its first.
            first = timezone.localdate().replace(day=1)
            month = (first - timedelta(days=1)).replace(day=1)
        made = statements_produce_month(actor=self.acting_user(), month=month)
        self.stdout.write(f"{made} statement(s) produced through {month_end(month)}.")
