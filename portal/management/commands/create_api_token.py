from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
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
        parser.add_argument(
            "--grant",
            action="append",
            default=[],
            metavar="APP.CODENAME",
            help="Also give the user this permission (repeatable), e.g. "
            "portal.sync_accounts for the billing system's integration user.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        if not user.is_active:
            raise CommandError(f"{user.username} is inactive; activate it first.")
        grants = [_permission(grant) for grant in options["grant"]]
        user.user_permissions.add(*grants)
        name = options["name"] or f"{user.username} service token"
        _, plaintext = APIToken.create_token(user=user, name=name)
        self.stdout.write(plaintext)


def _permission(name: str) -> Permission:
    app_label, _, codename = name.partition(".")
    try:
        return Permission.objects.get(
            content_type__app_label=app_label, codename=codename
        )
    except Permission.DoesNotExist:
        raise CommandError(
            f"No permission {name!r}; write it as app.codename, "
            "e.g. portal.sync_accounts."
        ) from None
