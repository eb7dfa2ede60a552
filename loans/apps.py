from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "Loans"
    default_auto_field = "django.db.models.BigAutoField"
