from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "Loans"
    default_auto_field = "django.db.models.BigAutoField"
    # Append-only: the database refuses UPDATE and DELETE (portal.db.immutable).
    immutable_tables = ("loans_ledgerentry", "loans_historicalledgerentry")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_products, sender=self)


def ensure_products(sender, **kwargs) -> None:  # noqa: ANN001
    """The products exist from the first migration; after a database flush
    (transactional tests) the same data is put back. Never changes an
    existing product: administrators edit their terms."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("loans.migrations.0002_loan_products")
    migration.create_products(apps, None)
