from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from portal.demo import DEMO_LOGINS, load_demo_data
from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Build a small believable utility (customers, accounts, properties, users "
        "for every role, public pages). Safe to re-run: nothing is duplicated."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--address", default="127.0.0.1:8000")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even when DEBUG is off (tests). Never on a real system.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Demo data has known passwords; it loads only with DEBUG on."
            )
        summary = load_demo_data()
        self.stdout.write(self.style.SUCCESS(summary))
        address = options["address"]
        self.stdout.write(
            f"\nLog in at http://{address}/admin/ (staff) or "
            f"http://{address}/account/login/ (customers):"
        )
        for role, username, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:<16} {username:<8} password: {password}")
