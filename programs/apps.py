from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Energy programs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from programs.permissions import register_policies

        register_policies()
