"""manage.py generate_portfolio --loans 100000 [--seed 1] [--verify 200]

Synthetic loans with payment histories, built in bulk (loans/portfolio).
Test-data tooling: run it on a database that is not in use.
"""

from __future__ import annotations

import os
import resource
import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from loans.portfolio import generate_portfolio
from loans.portfolio.verify import verify_sample
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Make loans 0..N-1 of a seed exist (synthetic, repeatable; existing "
        "ones are kept), each with a payment history, built in bulk."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--loans", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="The date histories run up to (default: today). Use the same "
            "one to extend a portfolio made on an earlier day.",
        )
        parser.add_argument(
            "--late-fees-through",
            type=date.fromisoformat,
            help="Charge the late fees the daily job would have charged "
            "through this date (default: the day before --today).",
        )
        parser.add_argument(
            "--no-late-fees",
            action="store_true",
            help="Charge no late fees (as if the daily job never ran).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="Processes computing and writing chunks (PostgreSQL).",
        )
        parser.add_argument("--chunk", type=int, default=500)
        parser.add_argument(
            "--verify",
            type=int,
            default=0,
            metavar="N",
            help="Afterwards, check N random loans of the seed against the "
            "engine's replay and sync.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        if options["loans"] < 0 or options["loans"] > 9_999_999:
            raise CommandError("--loans is 0 to 9,999,999.")
        today = options["today"] or timezone.localdate()
        through = (
            None
            if options["no_late_fees"]
            else options["late_fees_through"] or today - timedelta(days=1)
        )
        started = time.perf_counter()
        last_report = [started]

        def progress(totals: dict[str, int]) -> None:
            if time.perf_counter() - last_report[0] >= 15:
                last_report[0] = time.perf_counter()
                self.stdout.write(
                    f"  {totals['loans']:,} loans, {totals['payments']:,} payments "
                    f"({time.perf_counter() - started:.0f}s)"
                )

        counts = generate_portfolio(
            actor=self.acting_user(),
            loans=options["loans"],
            seed=options["seed"],
            today=today,
            late_fees_through=through,
            workers=options["workers"],
            chunk_size=options["chunk"],
            progress=progress,
        )
        if connection.vendor == "postgresql":
            # Millions of rows arrived by COPY: without fresh statistics the
            # planner still sees the empty tables and picks nested loops that
            # take minutes (autovacuum would get there, later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        peak = max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        patterns = ", ".join(
            f"{name} {counts.get(name, 0):,}"
            for name in ("on_time", "late", "prepaid", "nsf", "defaulted")
        )
        self.stdout.write(
            f"Added {counts['loans']:,} loans ({patterns}), "
            f"{counts['payments']:,} payments, {counts['entries']:,} ledger "
            f"entries, {counts['installments']:,} installments in {elapsed:.1f}s "
            f"(peak RSS {peak / 1024:.0f} MB per process)."
        )
        if options["verify"]:
            problems, checked = verify_sample(
                seed=options["seed"],
                size=options["verify"],
                late_fees_through=through,
                actor=self.acting_user(),
            )
            if problems:
                for problem in problems[:50]:
                    self.stderr.write(problem)
                raise CommandError(
                    f"{len(problems)} problems in {checked} loans checked."
                )
            self.stdout.write(
                f"Verified {checked} loans: ledger, installments and loan facts "
                "equal the engine's replay; sync writes nothing; no late fee "
                "left to charge."
            )
