"""The payments list writes amounts, dates, methods and statuses in words,
its rows open the payment's receipt, and a payment's page is that receipt
(not the generic dump of "1000.00 on 2026-02-01" and ids)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from loans.services.payments import payment_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(book, cashiering_system):
    loan = book("L-0042")
    return payment_post(
        actor=cashiering_system,
        loan=loan,
        amount=Decimal("1234.50"),
        received_on=date(2026, 2, 1),
        method="check",
        reference="CHK-1001",
    ).payment


def test_the_payments_list_is_in_words_and_rows_open_the_receipt(
    client, supervisor_bob, payment
):
    client.force_login(supervisor_bob)
    soup = BeautifulSoup(
        client.get(reverse("loan_payments:index")).content, "html.parser"
    )
    row = soup.select_one("table.listing tbody tr")
    text = " ".join(row.get_text(" ", strip=True).split())
    for shown in ["CHK-1001", "$1,234.50", "February 1, 2026", "Check", "Posted"]:
        assert shown in text
    assert "1234.50" not in text.replace("$1,234.50", "")
    assert not re.search(r"\b2026-02-01\b", text)
    receipt = reverse("loan_payment_receipt", args=[payment.pk])
    assert row.find("a", string=re.compile("CHK-1001"))["href"] == receipt


def test_a_payments_page_is_its_receipt(client, supervisor_bob, payment):
    client.force_login(supervisor_bob)
    response = client.get(reverse("loan_payments:inspect", args=[payment.pk]))
    assert response["Location"] == reverse("loan_payment_receipt", args=[payment.pk])
    assert "$1,234.50" in client.get(response["Location"]).content.decode()
