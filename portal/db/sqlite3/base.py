"""Django's SQLite backend, made safe as the embedded default.

Settings (portal/settings/base.py) give it WAL, `BEGIN IMMEDIATE` and a busy
timeout, so concurrent requests to the dev server queue for the write lock
instead of failing with "database is locked".

The one change here: `flush` (used by `manage.py flush` and by transactional
tests) deletes every row, which the append-only tables' triggers refuse. It
drops those triggers first; flush then emits post_migrate, whose receiver
(`portal.db.immutable.ensure_immutable_tables`) puts them back. An app's
other triggers that must not fire on a flush (a count kept by triggers would
count the deleted rows) are named by prefix in its AppConfig's
`flush_dropped_triggers`, and its own post_migrate receiver puts them back.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import (
    DatabaseOperations as SQLiteOperations,
)

from portal.db.immutable import TRIGGER_PREFIX


class DatabaseOperations(SQLiteOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = super().sql_flush(style, tables, **kwargs)
        if not statements:
            return statements
        from django.apps import apps

        prefixes = (
            TRIGGER_PREFIX,
            *(
                prefix
                for config in apps.get_app_configs()
                for prefix in getattr(config, "flush_dropped_triggers", ())
            ),
        )
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = [
                row[0] for row in cursor.fetchall() if row[0].startswith(prefixes)
            ]
        drops = [f'DROP TRIGGER IF EXISTS "{name}";' for name in triggers]
        return [*drops, *statements]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
