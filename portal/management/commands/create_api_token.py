from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from wagtail.models import APIToken

from portal.management.base import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Create an API token for USERNAME and print it once. Send it as "
        "'Authorization: Bearer TOKEN'. Only a digest is stored."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Label for the token.")

    def run(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        if not user.is_active:
            raise CommandError(f"{user.username} is inactive; activate it first.")
        name = options["name"] or f"{user.username} service token"
        _, plaintext = APIToken.create_token(user=user, name=name)
        self.stdout.write(plaintext)
