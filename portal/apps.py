from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Customers and accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal import (
            admin_chrome,
            audit,  # noqa: F401  (connects the history receiver)
        )
        from portal.db.immutable import ensure_immutable_tables
        from portal.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
        post_migrate.connect(ensure_immutable_tables, sender=self)
        # The sidebar is made once a minute per user, not on every page.
        admin_chrome.install()
        # Publishing, moving or deleting a page empties the public page cache.
        from portal.site.cache import connect_purge_signals

        connect_purge_signals()
