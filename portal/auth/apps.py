from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class PortalAuthConfig(AppConfig):
    name = "portal.auth"
    label = "portal_auth"  # "auth" is django.contrib.auth's
    verbose_name = "Log-in security"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal.auth import receivers  # noqa: F401  (connects the security log)

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(sender: Any, **kwargs: Any) -> None:
    """Log-in rate limits and used one-time codes live in the cache; where that
    is the database cache (production), its table comes with `migrate`."""
    from django.conf import settings
    from django.core.management import call_command

    database = kwargs.get("using", "default")
    if any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()
    ):
        call_command("createcachetable", database=database, verbosity=0)
