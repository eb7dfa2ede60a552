"""Append-only tables, enforced by the database itself.

The ORM already refuses to edit or delete a posted ledger entry, but raw SQL,
`_base_manager.update()`, `save(force_update=True)` or an upsert would not ask
it. Triggers on each append-only table (and its history table) refuse every
UPDATE and DELETE, on PostgreSQL and on SQLite. An app lists its append-only
tables as `immutable_tables` on its AppConfig and creates the triggers in a
migration with `ImmutableTables(...)`.

PostgreSQL's TRUNCATE (the test runner's flush) does not fire row triggers;
on SQLite the project's backend drops the triggers before a flush, and the
post_migrate receiver below recreates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

TRIGGER_PREFIX = "immutable_"
MESSAGE = "{table} is append-only: rows are never updated or deleted."


def _names(table: str) -> tuple[str, str]:
    return f"{TRIGGER_PREFIX}{table}_update", f"{TRIGGER_PREFIX}{table}_delete"


def create_statements(vendor: str, table: str) -> list[str]:
    message = MESSAGE.format(table=table).replace("'", "''")
    update, delete = _names(table)
    if vendor == "postgresql":
        function = f"{TRIGGER_PREFIX}refuse_{table}"
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; "
            "END; $$ LANGUAGE plpgsql;",
            f'DROP TRIGGER IF EXISTS {update} ON "{table}";',
            f'CREATE TRIGGER {update} BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}();",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {verb} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            for name, verb in ((update, "UPDATE"), (delete, "DELETE"))
        ]
    return []


def drop_statements(vendor: str, table: str) -> list[str]:
    update, delete = _names(table)
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS {update} ON "{table}";',
            f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}refuse_{table}();",
        ]
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{name}";' for name in (update, delete)]
    return []


def _run(schema_editor: Any, statements: Sequence[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


class ImmutableTables(migrations.RunPython):
    """A migration operation: refuse UPDATE and DELETE on these tables."""

    def __init__(self, *tables: str) -> None:
        self.tables = tables

        def forwards(apps: Any, schema_editor: Any) -> None:
            for table in tables:
                _run(
                    schema_editor,
                    create_statements(schema_editor.connection.vendor, table),
                )

        def backwards(apps: Any, schema_editor: Any) -> None:
            for table in tables:
                _run(
                    schema_editor,
                    drop_statements(schema_editor.connection.vendor, table),
                )

        super().__init__(forwards, backwards)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, list(self.tables), {})


def ensure_immutable_tables(using: str = "default", **_: Any) -> None:
    """post_migrate receiver: put back triggers a SQLite flush dropped."""
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    declared = {
        table
        for config in apps.get_app_configs()
        for table in getattr(config, "immutable_tables", ())
    }
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in sorted(declared & existing):
            for statement in create_statements("sqlite", table):
                cursor.execute(statement)
