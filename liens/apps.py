from django.apps import AppConfig


class LiensConfig(AppConfig):
    name = "liens"
    verbose_name = "Liens and deposits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_adequacy_policy, sender=self)


def ensure_adequacy_policy(sender, **kwargs) -> None:  # noqa: ANN001
    """The policy row comes from a data migration; after a database flush
    (transactional tests) it is put back the same way, never overwriting an
    edited one."""
    import importlib

    from django.apps import apps

    importlib.import_module("liens.migrations.0003_adequacy_policy_seed").seed(
        apps, None
    )
