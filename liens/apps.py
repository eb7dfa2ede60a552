from django.apps import AppConfig


class LiensConfig(AppConfig):
    name = "liens"
    verbose_name = "Liens and deposits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liens import receivers

        receivers.connect()
