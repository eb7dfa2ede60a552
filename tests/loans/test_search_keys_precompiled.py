"""A search with nothing else narrowing the list reads its matching keys
with SQL worked out once (portal.db.precompiled): the loan and customer
searches find the same records, in the same order, as the ORM's search,
with the text taken literally (a % or _ in it is no wildcard)."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest

from loans.models import Loan
from loans.viewsets import _LOAN_SEARCH_KEYS, loans_matching
from portal.models import Customer
from portal.viewsets import (
    KeysFirstPaginator,
    _customer_search_keys,
    customers_matching,
    customers_sorted_apart,
)
from tests.factories import CustomerFactory, UtilityAccountFactory
from tests.loans.test_back_office_list_queries import add_loans

pytestmark = pytest.mark.django_db

TERMS = ["Q-0001", "lovelace", "Q-", "9000", "%", "_", "Q_0", "nobody"]


def orm_loan_keys(text):
    return list(
        Loan.objects.filter(pk__in=loans_matching(text))
        .order_by("number")
        .values_list("pk", flat=True)[: KeysFirstPaginator.FEW + 1]
    )


def orm_customer_keys(text):
    return list(
        customers_matching(text)
        .order_by(*customers_sorted_apart())
        .values_list("pk", flat=True)[: KeysFirstPaginator.FEW + 1]
    )


@pytest.fixture
def book():
    ada = CustomerFactory(first_name="Ada", last_name="Lovelace")
    add_loans(12, 1, customer=ada)
    add_loans(5, 900, account=UtilityAccountFactory(number="900077"))
    CustomerFactory(first_name="Grace", last_name="Hopper_Lovelace")
    CustomerFactory(first_name="Percy", last_name="100% Lovelace")


def test_the_loan_search_keys_are_the_orms(book):
    for text in TERMS:
        assert _LOAN_SEARCH_KEYS(text) == orm_loan_keys(text), text
    assert len(_LOAN_SEARCH_KEYS("Q-")) == 17


def test_the_customer_search_keys_are_the_orms(book):
    for text in TERMS:
        assert _customer_search_keys()(text) == orm_customer_keys(text), text
    percent = _customer_search_keys()("%")
    assert [Customer.objects.get(pk=k).last_name for k in percent] == ["100% Lovelace"]


def test_the_lists_show_what_the_search_finds(client, staff_alice, book):
    client.force_login(staff_alice)
    page = client.get(reverse("loans:index") + "?q=Q-0001")
    assert page.status_code == 200
    shown = set(re.findall(rb"Q-\d{5}", page.content))
    expected = Loan.objects.filter(number__contains="Q-0001")
    assert shown == {n.encode() for n in expected.values_list("number", flat=True)}
    assert shown == {b"Q-00010", b"Q-00011", b"Q-00012"}
    customers = client.get(reverse("customers:index") + "?q=lovelace")
    assert customers.status_code == 200
    assert customers.content.count(b"Lovelace") >= 3
