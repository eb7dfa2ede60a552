"""The deposit adequacy policy's one row, with the ordinance defaults
(multiple 2, 12 months, 60-day expiring window)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):  # noqa: ANN001, ARG001
    Policy = apps.get_model("liens", "AdequacyPolicy")
    if not Policy.objects.exists():
        Policy.objects.create(
            multiple=Decimal("2"),
            months=12,
            residential_minimum=Decimal("100.00"),
            residential_minimum_currency="USD",
            commercial_minimum=Decimal("500.00"),
            commercial_minimum_currency="USD",
            expiring_window_days=60,
        )


class Migration(migrations.Migration):
    dependencies = [("liens", "0006_adequacy_and_decisions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
