"""The ledger is append-only in the database itself: whatever the client
(raw SQL, the base manager, a forced update, the history table), an UPDATE or
DELETE of a posted ledger entry is refused, on SQLite and on PostgreSQL."""

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

import pytest

from loans.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(book):
    book("L-1")
    return LedgerEntry.objects.order_by("pk").first()


def _refused(statement, params=()):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_raw_sql_cannot_update_a_ledger_entry(entry):
    _refused("UPDATE loans_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert str(entry.amount) == "10000.00"


def test_raw_sql_cannot_delete_a_ledger_entry(entry):
    _refused("DELETE FROM loans_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_the_base_manager_cannot_update_or_delete_entries(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            LedgerEntry._base_manager.filter(pk=entry.pk).update(memo="edited")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            LedgerEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert LedgerEntry.objects.get(pk=entry.pk).memo == "Principal disbursed"


def test_the_ledgers_history_cannot_be_rewritten_or_deleted(entry):
    _refused(
        "UPDATE loans_historicalledgerentry SET amount = 1 WHERE id = %s", [entry.pk]
    )
    _refused("DELETE FROM loans_historicalledgerentry WHERE id = %s", [entry.pk])
    assert entry.history.count() == 1


def test_new_entries_are_still_appended(entry):
    LedgerEntry.objects.create(
        loan=entry.loan,
        kind="fee_assessed",
        fee_kind="late",
        installment_number=1,
        amount="15.00",
        effective_on=entry.effective_on,
        memo="appended",
    )
    assert LedgerEntry.objects.filter(memo="appended").count() == 1


def _ledger_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'loans_ledgerentry'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'loans_ledgerentry'::regclass"
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_ledger_and_the_triggers_come_back(book):
    before = _ledger_triggers()
    assert before
    book("L-9")
    call_command("flush", "--no-input", verbosity=0)
    assert not LedgerEntry.objects.exists()
    assert _ledger_triggers() == before
