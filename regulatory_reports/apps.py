from django.apps import AppConfig


class RegulatoryReportsConfig(AppConfig):
    name = "regulatory_reports"
    verbose_name = "Reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each kind registers itself when its module is imported.
        from regulatory_reports import kinds  # noqa: F401
