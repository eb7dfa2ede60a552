from django.apps import AppConfig


class RegulatoryReportsConfig(AppConfig):
    name = "regulatory_reports"
    verbose_name = "Reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_gl_accounts, sender=self)
        # Each kind registers itself when its module is imported.
        from regulatory_reports import kinds  # noqa: F401


def ensure_gl_accounts(sender, **kwargs) -> None:  # noqa: ANN001
    """The default GL accounts come from a data migration; after a database
    flush (transactional tests) they are put back the same way, never
    overwriting an account a supervisor changed."""
    import importlib

    from django.apps import apps

    importlib.import_module(
        "regulatory_reports.migrations.0004_default_gl_accounts"
    ).seed(apps, None)
