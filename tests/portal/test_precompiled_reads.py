"""A precompiled read (portal.db.precompiled) gives exactly the rows the ORM
gives for the same QuerySet: the same records in the same order, with the
same field values, select_related rows and annotations; it runs one query
and works out its SQL only once; and it refuses what it cannot do rather
than read something else."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

import pytest

from loans.models import Loan
from loans.selectors import with_ledger_principal
from portal.db.precompiled import Precompiled, PrecompiledAbout
from portal.models import Customer, Property, UtilityAccount
from tests.factories.liens_subordinations import booked_loan
from tests.factories.portal import (
    CustomerFactory,
    PropertyFactory,
    UserFactory,
    UtilityAccountFactory,
)

pytestmark = pytest.mark.django_db


def picture(row, *paths):
    """A row's fields (and its related rows' fields along `paths`) as plain
    values, to compare two reads of it."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    for path in paths:
        related = row
        for step in path.split("__"):
            related = getattr(related, step)
        values[path] = picture(related) if related is not None else None
    return values


def accounts_of(key):
    return (
        UtilityAccount.objects.filter(customer_id=key)
        .select_related("service_property", "account_manager")
        .order_by("-number")
    )


def test_the_rows_equal_the_orms_with_their_related_rows_in_the_same_order():
    owner = CustomerFactory()
    manager = UserFactory(username="manager")
    parcel = PropertyFactory()
    for i in range(3):
        UtilityAccountFactory(
            customer=owner,
            service_property=parcel if i != 1 else None,
            account_manager=manager if i == 2 else None,
        )
    UtilityAccountFactory()  # someone else's
    read = Precompiled(accounts_of)

    for _ in range(2):  # compiled, then kept
        found = read(owner.pk)
        expected = list(accounts_of(owner.pk))
        assert [a.pk for a in found] == [a.pk for a in expected]
        assert len(found) == 3
        related = ("service_property", "account_manager")
        assert [picture(a, *related) for a in found] == [
            picture(a, *related) for a in expected
        ]


def test_annotations_come_through_converted_as_the_orm_converts_them():
    loan = booked_loan(principal="10000.00")
    read = Precompiled(
        lambda key: with_ledger_principal(Loan.objects.filter(customer_id=key))
    )
    (found,) = read(loan.customer_id)
    (expected,) = with_ledger_principal(
        Loan.objects.filter(customer_id=loan.customer_id)
    )
    assert found.ledger_principal == expected.ledger_principal
    assert Decimal(found.ledger_principal) == Decimal("10000.00")
    assert found.product.name == expected.product.name


def test_a_read_through_a_many_to_many_join_finds_the_owners_properties():
    owner, other = CustomerFactory(), CustomerFactory()
    mine = [PropertyFactory(), PropertyFactory()]
    for parcel in mine:
        parcel.owners.add(owner)
    PropertyFactory().owners.add(other)
    read = Precompiled(lambda key: Property.objects.filter(owners__id=key))
    assert [p.pk for p in read(owner.pk)] == [p.pk for p in owner.properties.all()]
    assert read(CustomerFactory().pk) == []


def test_each_read_is_one_query_and_its_sql_is_worked_out_once():
    owner = CustomerFactory()
    UtilityAccountFactory(customer=owner)
    read = Precompiled(accounts_of)
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiled:
        read(owner.pk)
        with CaptureQueriesContext(connection) as queries:
            for _ in range(5):
                read(owner.pk)
    assert compiled.call_count == 1
    assert len(queries.captured_queries) == 5


def test_several_keys_each_go_to_their_own_place():
    owner = CustomerFactory()
    first = UtilityAccountFactory(customer=owner, number="700001")
    UtilityAccountFactory(customer=owner, number="700002")
    read = Precompiled(
        lambda customer, account: UtilityAccount.objects.filter(
            customer_id=customer, pk=account
        ),
        keys=2,
    )
    assert [a.number for a in read(owner.pk, first.pk)] == ["700001"]
    assert read(CustomerFactory().pk, first.pk) == []


def test_reads_about_a_record_follow_the_records_kind():
    owner = CustomerFactory()
    account = UtilityAccountFactory(customer=owner)
    about = PrecompiledAbout(
        {Customer: "customer_id", UtilityAccount: "pk"},
        lambda path, key: UtilityAccount.objects.filter(**{path: key}),
    )
    assert [a.pk for a in about(owner)] == [account.pk]
    assert [a.pk for a in about(account)] == [account.pk]
    assert not about.applies_to(PropertyFactory())
    with pytest.raises(TypeError, match="Nothing is read about a Property"):
        about(PropertyFactory())


def test_what_it_cannot_read_is_refused_rather_than_read_wrongly():
    owner = CustomerFactory()
    with pytest.raises(ValueError, match="model rows only"):
        Precompiled(lambda key: UtilityAccount.objects.filter(pk=key).values("pk"))(1)
    with pytest.raises(ValueError, match="model rows only"):
        Precompiled(lambda key: owner.accounts.filter(pk=key))(1)
    with pytest.raises(ValueError, match="Every key must be a parameter"):
        Precompiled(lambda key: UtilityAccount.objects.all())(1)
    with pytest.raises(TypeError, match="takes 1 key"):
        Precompiled(accounts_of)(1, 2)


def test_a_record_page_for_a_number_that_is_no_record_is_not_found(admin_client):
    assert admin_client.get("/admin/customers/inspect/987654/").status_code == 404
    assert admin_client.get("/admin/customers/inspect/abc/").status_code == 404
    customer = CustomerFactory(last_name="Okafor")
    page = admin_client.get(f"/admin/customers/inspect/{customer.pk}/")
    assert page.status_code == 200
    assert b"Okafor" in page.content


def test_a_user_is_read_by_their_key_though_the_key_column_is_32_bits():
    # Django finds nothing to compile for a key out of its column's range:
    # the stand-in keys must be within it (auth_user.id is 32-bit).
    from django.contrib.auth import get_user_model

    user = UserFactory(username="reader")
    read = Precompiled(lambda key: get_user_model().objects.filter(pk=key))
    assert [u.username for u in read(user.pk)] == ["reader"]


def test_text_keys_are_read_like_integer_ones():
    owner = CustomerFactory()
    UtilityAccountFactory(customer=owner, number="800001")
    read = Precompiled(
        lambda number, key: UtilityAccount.objects.filter(
            number=number, customer_id=key
        ),
        keys=(str, int),
    )
    assert [a.number for a in read("800001", owner.pk)] == ["800001"]
    assert read("800002", owner.pk) == []


def test_rows_by_a_list_of_keys_are_the_rows_of_those_keys():
    from portal.db.precompiled import PrecompiledByKeys

    accounts = [UtilityAccountFactory() for _ in range(4)]
    read = PrecompiledByKeys(lambda keys: UtilityAccount.objects.filter(pk__in=keys))
    for keys in ([a.pk for a in accounts[:3]], [accounts[3].pk, accounts[0].pk], []):
        assert sorted(a.pk for a in read(keys)) == sorted(keys)
    assert [a.pk for a in read([accounts[1].pk, accounts[1].pk])] == [accounts[1].pk]


def test_a_read_keeps_no_connection_alive_after_its_thread():
    # Each thread has its own connection; what a read keeps for one must
    # not hold it once the thread is gone (a test server's threads come and
    # go).
    import gc
    import threading
    import weakref

    from django.db import connections

    read = Precompiled(lambda key: UtilityAccount.objects.filter(pk=key))
    held = []

    def in_a_thread():
        read(1)
        held.append(weakref.ref(connections["default"]))
        connections["default"].close()

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    gc.collect()
    assert held[0]() is None
    assert len(read._by_connection) == 0
