"""The application list's order as an index (every database).

LoanApplication.Meta.ordering (newest first: -created_at, -id) had no index,
so every page of the application list sorted every application (one per
loan: 100,000 at scale). A btree on (created_at, id) is read backwards for
it. Made here rather than in the model's Meta so the back office's list
indexes stay in their own migrations (see portal 0006)."""

from django.db import migrations

NAME = "application_list_order"


def add_index(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote(NAME)} ON {quote('loans_loanapplication')} "
        f"({quote('created_at')}, {quote('id')})"
    )


def remove_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("loans", "0014_aging_runs")]

    operations = [migrations.RunPython(add_index, remove_index)]
