# ruff: noqa: S608 - the SQL here is built only from this module's own names
"""How many loans there are, by oldest unpaid due date, without counting
them.

The loan list shows "1–20 of 100,000" and filters by days past due; an exact
COUNT(*) over 100,000 loans is an index scan of every loan (about 5 ms of the
database on every list page, a fifth of the page). A loan's DPD bucket is a
function of its `oldest_unpaid_due` and the day, so the number of loans per
`oldest_unpaid_due` (none: nothing unpaid) answers the unfiltered count and
every bucket's count exactly, from a few thousand small rows.

Triggers on loans_loan keep it, on PostgreSQL and on SQLite, in the same
transaction as the change to the loan, whatever makes the change (the
engine's fact writer, a bulk update, raw SQL). They only ever insert: +1 for
the new date, -1 for the old, so two postings never wait for each other on a
shared counter row. `rebuild()` folds those rows back into one per date,
counted afresh from the loans (the nightly job does it).
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction

TABLE = "loans_loandaycount"
TRIGGER_PREFIX = "loan_day_count_"
# The loans counted afresh, one row per oldest unpaid due date.
COUNT_LOANS = (
    f"INSERT INTO {TABLE} (day, loans) "
    "SELECT oldest_unpaid_due, COUNT(*) FROM loans_loan "
    "GROUP BY oldest_unpaid_due"
)


class LoanDayCount(models.Model):
    day = models.DateField(
        null=True,
        blank=True,
        help_text="A loan's oldest unpaid due date (none: nothing unpaid).",
    )
    loans = models.IntegerField(help_text="Loans added (+) or gone (-) at this date.")

    class Meta:
        indexes = [models.Index(fields=["day", "loans"], name="loan_day_count_day")]
        verbose_name = "loan count by oldest unpaid due date"

    def __str__(self) -> str:
        return f"{self.day or 'nothing unpaid'}: {self.loans:+d}"

    @classmethod
    def rebuild(cls) -> None:
        """One row per date, counted from the loans. In one statement on
        PostgreSQL (one snapshot: a posting that commits meanwhile keeps its
        own +1/-1 rows, which this neither deletes nor counts), under a lock
        so two rebuilds never overlap; SQLite runs one writer at a time."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
                cursor.execute(f"WITH gone AS (DELETE FROM {TABLE}) {COUNT_LOANS}")
            else:
                cursor.execute(f"DELETE FROM {TABLE}")
                cursor.execute(COUNT_LOANS)


def create_statements(vendor: str) -> list[str]:
    """The triggers that keep LoanDayCount (see the module docstring)."""
    insert, delete, update = (
        f"{TRIGGER_PREFIX}{verb}" for verb in ("insert", "delete", "update")
    )
    if vendor == "postgresql":
        function = f"{TRIGGER_PREFIX}keep"
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
            f"INSERT INTO {TABLE} (day, loans) VALUES (OLD.oldest_unpaid_due, -1); "
            "END IF; "
            "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
            f"INSERT INTO {TABLE} (day, loans) VALUES (NEW.oldest_unpaid_due, 1); "
            "END IF; RETURN NULL; END; $$ LANGUAGE plpgsql;",
            f"DROP TRIGGER IF EXISTS {insert} ON loans_loan;",
            f"CREATE TRIGGER {insert} AFTER INSERT OR DELETE ON loans_loan "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();",
            f"DROP TRIGGER IF EXISTS {update} ON loans_loan;",
            f"CREATE TRIGGER {update} AFTER UPDATE OF oldest_unpaid_due ON loans_loan "
            "FOR EACH ROW WHEN (OLD.oldest_unpaid_due IS DISTINCT FROM "
            f"NEW.oldest_unpaid_due) EXECUTE FUNCTION {function}();",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{insert}" AFTER INSERT ON loans_loan '
            f"BEGIN INSERT INTO {TABLE} (day, loans) "
            "VALUES (NEW.oldest_unpaid_due, 1); END;",
            f'CREATE TRIGGER IF NOT EXISTS "{delete}" AFTER DELETE ON loans_loan '
            f"BEGIN INSERT INTO {TABLE} (day, loans) "
            "VALUES (OLD.oldest_unpaid_due, -1); END;",
            f'CREATE TRIGGER IF NOT EXISTS "{update}" AFTER UPDATE OF '
            "oldest_unpaid_due ON loans_loan "
            "WHEN OLD.oldest_unpaid_due IS NOT NEW.oldest_unpaid_due "
            f"BEGIN INSERT INTO {TABLE} (day, loans) "
            "VALUES (OLD.oldest_unpaid_due, -1), (NEW.oldest_unpaid_due, 1); END;",
        ]
    return []


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}insert ON loans_loan;",
            f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}update ON loans_loan;",
            f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}keep();",
        ]
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{verb}";'
            for verb in ("insert", "delete", "update")
        ]
    return []


def ensure_count_triggers(using: str = "default", **_: Any) -> None:
    """post_migrate receiver: put back the triggers a SQLite flush dropped
    (portal.db.sqlite3 drops them so the flush's DELETEs count nothing)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite" or TABLE not in conn.introspection.table_names():
        return
    with conn.cursor() as cursor:
        for statement in create_statements("sqlite"):
            cursor.execute(statement)
