"""The default subordination rules: loan current, CLTV at most 90 %, fee paid."""

from decimal import Decimal

from django.db import migrations

DEFAULT_RULES = [
    {
        "code": "loan_current",
        "name": "Loan current",
        "description": "The loan our lien secures has no days past due.",
        "threshold_percent": None,
        "order": 1,
    },
    {
        "code": "cltv_max",
        "name": "CLTV at most 90 %",
        "description": "(Senior liens + new loan + our balance) / appraised value "
        "is at most the threshold.",
        "threshold_percent": Decimal("90.00"),
        "order": 2,
    },
    {
        "code": "fee_paid",
        "name": "Fee paid",
        "description": "The lender has paid the subordination fee.",
        "threshold_percent": None,
        "order": 3,
    },
]


def seed(apps, schema_editor):
    """Add each default rule whose code is missing; never overwrite an edited one."""
    rule_model = apps.get_model("liens", "SubordinationRule")
    for spec in DEFAULT_RULES:
        values = {key: value for key, value in spec.items() if key != "code"}
        rule_model.objects.get_or_create(code=spec["code"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("liens", "0004_subordinations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
