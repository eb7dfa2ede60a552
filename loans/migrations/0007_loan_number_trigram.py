"""A trigram index on the loan number for the back office's loan search
(PostgreSQL only; see portal 0004_search_trigram_indexes, which enables
pg_trgm). Nothing on SQLite."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper


def index():
    return GinIndex(
        OpClass(Upper("number"), name="gin_trgm_ops"), name="loan_number_trgm"
    )


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("loans", "Loan"), index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("loans", "Loan"), index())


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0006_loan_delinquency_facts"),
        ("portal", "0004_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
