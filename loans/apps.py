from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "Loans"
    default_auto_field = "django.db.models.BigAutoField"
    # Append-only: the database refuses UPDATE and DELETE (portal.db.immutable).
    immutable_tables = ("loans_ledgerentry", "loans_historicalledgerentry")
    # The loan counts' triggers (loans.models.counts), off during a flush.
    flush_dropped_triggers = ("loan_day_count_",)

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_products, sender=self)
        post_migrate.connect(ensure_ladder_and_letters, sender=self)
        from loans.models.counts import ensure_count_triggers

        post_migrate.connect(ensure_count_triggers, sender=self)

        # The day's collection work follows the nightly aging run.
        from loans.services.collections import collections_after_aging
        from loans.signals import aging_run_finished

        aging_run_finished.connect(
            collections_after_aging, dispatch_uid="loans.collections_after_aging"
        )


def ensure_products(sender, **kwargs) -> None:  # noqa: ANN001
    """The products exist from the first migration; after a database flush
    (transactional tests) the same data is put back. Never changes an
    existing product: administrators edit their terms."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("loans.migrations.0002_loan_products")
    migration.create_products(apps, None)


def ensure_ladder_and_letters(sender, **kwargs) -> None:  # noqa: ANN001
    """The default collection ladder and letter templates come from data
    migrations; after a database flush (transactional tests) they are put
    back the same way. The ladder only when it is empty (a supervisor may
    have changed it); a letter template only when its code is missing, never
    overwriting an edited one."""
    import importlib

    from django.apps import apps

    from loans.models import CollectionStep

    if not CollectionStep.objects.exists():
        importlib.import_module("loans.migrations.0011_default_collection_ladder").seed(
            apps, None
        )
    importlib.import_module("loans.migrations.0013_letter_templates").seed(apps, None)
