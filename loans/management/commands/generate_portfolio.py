from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from loans.portfolio import generate_portfolio
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = "Build N synthetic loans with realistic payment histories (seeded)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--loans", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def run(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            counts = generate_portfolio(
                actor=self.acting_user(),
                loans=options["loans"],
                seed=options["seed"],
                today=timezone.localdate(),
            )
        self.stdout.write(
            f"Generated {options['loans']} loans in "
            f"{time.perf_counter() - started:.1f}s: {counts}"
        )
