"""The GL accounts the journal export starts with: one per role, with codes a
supervisor replaces with the city's chart of accounts (back office: Reports ›
GL accounts). Also run after a database flush (RegulatoryReportsConfig), and
never overwrites an account that exists."""

from django.db import migrations

DEFAULTS = [
    ("cash", "1010", "Cash — loan fund"),
    ("loans_receivable", "1310", "Loans receivable"),
    ("fees_receivable", "1320", "Loan fees receivable"),
    ("refunds_payable", "2210", "Unapplied loan payments (refunds payable)"),
    ("interest_income", "4410", "Interest income — loans"),
    ("fee_income", "4420", "Fee income — loans"),
    ("recoveries", "4430", "Recoveries of loans written off"),
    ("write_off_expense", "6510", "Loan write-off expense"),
]


def seed(apps, schema_editor):  # noqa: ANN001, ARG001
    account = apps.get_model("regulatory_reports", "GLAccount")
    for role, code, name in DEFAULTS:
        account.objects.get_or_create(role=role, defaults={"code": code, "name": name})


class Migration(migrations.Migration):
    dependencies = [("regulatory_reports", "0003_gl_accounts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
