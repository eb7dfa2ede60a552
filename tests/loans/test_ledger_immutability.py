"""Posted ledger entries can't be edited or deleted through the ORM."""

from datetime import date
from decimal import Decimal

import pytest

from loans.models import IMMUTABLE, LedgerEntry, PostedEntryError

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(book):
    book("L-1")
    return LedgerEntry.objects.get(kind="disbursement")


def test_saving_a_posted_entry_again_is_refused(entry):
    entry.amount = Decimal("1.00")
    with pytest.raises(PostedEntryError, match="never edited or deleted"):
        entry.save()
    entry.refresh_from_db()
    assert entry.amount == Decimal("10000.00")


def test_deleting_a_posted_entry_is_refused(entry):
    with pytest.raises(PostedEntryError):
        entry.delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(PostedEntryError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("0.01"))
    with pytest.raises(PostedEntryError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(PostedEntryError):
        LedgerEntry.objects.bulk_update([entry], ["amount"])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("10000.00")
    assert str(IMMUTABLE)


def test_a_new_entry_can_still_be_posted(entry):
    LedgerEntry.objects.create(
        loan=entry.loan,
        kind="fee_assessed",
        fee_kind="late",
        amount=Decimal("15.00"),
        effective_on=date(2026, 3, 1),
    )
    assert LedgerEntry.objects.count() == 2
