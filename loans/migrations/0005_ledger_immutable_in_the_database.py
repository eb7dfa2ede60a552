# The ledger is append-only in the database itself: triggers refuse UPDATE and
# DELETE on ledger entries and on their history, whatever the client.

from django.db import migrations

from portal.db.immutable import ImmutableTables


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0004_one_late_fee_per_installment"),
    ]

    operations = [
        ImmutableTables("loans_ledgerentry", "loans_historicalledgerentry"),
    ]
