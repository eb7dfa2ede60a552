# Approve and decline each get their own date (they shared `decided_at`).

from django.db import migrations, models


def split_decision_dates(apps, schema_editor):
    # Per row, not queryset.update(): the history model gets the same split
    # below, and an audited table is never bulk-updated without history.
    for name in ("LoanApplication", "HistoricalLoanApplication"):
        model = apps.get_model("loans", name)
        for row in model.objects.exclude(decided_at=None).iterator():
            if row.status == "approved":
                row.approved_at = row.decided_at
            elif row.status == "declined":
                row.declined_at = row.decided_at
            row.save(update_fields=["approved_at", "declined_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("loans", "0002_loan_products"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="loan",
            options={
                "ordering": ["number"],
                "permissions": [
                    ("book_loan", "Can book an existing loan (portfolio migration)"),
                    ("post_payment", "Can post and reverse loan payments"),
                    ("close_loan", "Can close loans: agreement, signature, checks"),
                ],
            },
        ),
        migrations.AddField(
            model_name="historicalloanapplication",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalloanapplication",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="loanapplication",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="loanapplication",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(split_decision_dates, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalloanapplication",
            name="decided_at",
        ),
        migrations.RemoveField(
            model_name="loanapplication",
            name="decided_at",
        ),
    ]
