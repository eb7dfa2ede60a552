"""A trigram index on the loan number for the back office's loan search
(PostgreSQL only; see portal 0004_search_trigram_indexes, which enables
pg_trgm). Nothing on SQLite."""

from django.db import migrations


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX "loan_number_trgm" ON "loans_loan" '
            'USING gin ((UPPER("number")) gin_trgm_ops)'
        )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "loan_number_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0006_loan_delinquency_facts"),
        ("portal", "0004_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
