"""Trigram indexes for the back office's searches (PostgreSQL only).

The back office searches with `icontains` (Wagtail's ORM search over a view's
search_fields), which PostgreSQL runs as UPPER(column) LIKE UPPER('%text%'):
a GIN index with gin_trgm_ops on UPPER(column) serves it. pg_trgm is enabled
and the indexes made only on PostgreSQL; on SQLite this migration does
nothing and the searches work as before. The indexes are not declared in the
models' Meta (a GIN index can't be created on SQLite), so they live here only.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (model, column, index name)
INDEXES = [
    ("Customer", "first_name", "cust_first_name_trgm"),
    ("Customer", "last_name", "cust_last_name_trgm"),
    ("Customer", "business_name", "cust_business_name_trgm"),
    ("Customer", "email", "cust_email_trgm"),
    ("Customer", "phone", "cust_phone_trgm"),
    ("UtilityAccount", "number", "account_number_trgm"),
    ("UtilityAccount", "line1", "account_line1_trgm"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model, column, name in INDEXES:
        table = apps.get_model("portal", model)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} "
            f"USING gin ((UPPER({quote(column)})) gin_trgm_ops)"
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_customer_files_private")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
