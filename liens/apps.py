from django.apps import AppConfig


class LiensConfig(AppConfig):
    name = "liens"
    verbose_name = "Liens and deposits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from liens import receivers

        receivers.connect()
        post_migrate.connect(ensure_subordination_rules, sender=self)


def ensure_subordination_rules(sender, **kwargs) -> None:  # noqa: ANN001
    """The default subordination rules come from a data migration; after a
    database flush (transactional tests) they are put back the same way,
    never overwriting a rule a supervisor edited."""
    import importlib

    from django.apps import apps

    importlib.import_module("liens.migrations.0005_subordination_rules").seed(
        apps, None
    )
