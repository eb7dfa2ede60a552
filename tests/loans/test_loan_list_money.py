"""The loan list shows each loan's principal as money ($1,234.56), never the
raw decimal."""

from datetime import date

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_the_loan_list_shows_principal_as_money(client, book, auditor_audrey):
    book("L-1", principal="2081.76", first_due_date=date(2026, 2, 1))
    client.force_login(auditor_audrey)
    body = client.get(reverse("loans:index")).content.decode()
    assert "$2,081.76" in body
    assert "2081.76" not in body
