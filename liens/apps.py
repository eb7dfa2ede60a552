from django.apps import AppConfig


class LiensConfig(AppConfig):
    name = "liens"
    verbose_name = "Liens and deposits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from liens import receivers

        receivers.connect()
        post_migrate.connect(ensure_seed_data, sender=self)


def ensure_seed_data(sender, **kwargs) -> None:  # noqa: ANN001
    """The default subordination rules and the adequacy policy come from data
    migrations; after a database flush (transactional tests) they are put back
    the same way, never overwriting what a supervisor edited."""
    import importlib

    from django.apps import apps

    for migration in ("0005_subordination_rules", "0007_adequacy_policy_seed"):
        importlib.import_module(f"liens.migrations.{migration}").seed(apps, None)
