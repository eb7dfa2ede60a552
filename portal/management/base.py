from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from portal.audit import audit_context, current, get_system_user


class AuditedCommand(BaseCommand):
    """A management command whose changes are recorded as made by the system
    user (or --acting-user) with the command's name as the change reason."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--acting-user",
            help="Username recorded in history as having made the changes "
            "(default: the system user).",
        )

    def handle(self, *args: Any, **options: Any) -> Any:
        from django.contrib.auth import get_user_model
        from django.core.management.base import CommandError

        username = options.get("acting_user")
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {username!r}.") from None
        else:
            user = get_system_user()
        name = self.__module__.rsplit(".", 1)[-1]
        with audit_context(user=user, reason=f"manage.py {name}"):
            return self.run(*args, **options)

    def run(self, *args: Any, **options: Any) -> Any:
        raise NotImplementedError

    def acting_user(self) -> Any:
        """Who run() acts as: the user of the audit context handle() opened."""
        ctx = current()
        if ctx is None:
            raise RuntimeError("acting_user() is for run(), inside handle().")
        return ctx.acting_user()
