"""Olga, another customer, opens each of Carol's object URLs in her browser
and gets 404 every time: her loan, its payoff letter, coupon book and
statement, her applications and her document."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from loans.services.statements import statement_produce
from tests.customer.my_setup import active_loan, customer_with_login
from tests.factories.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_olga_gets_404_on_every_one_of_carols_urls(
    page_for, staff_alice, supervisor_bob
):
    from portal.services import document_upload

    today = timezone.localdate()
    user, customer = customer_with_login("carol", "Carol", "Jensen")
    loan = active_loan(
        customer,
        staff_alice,
        supervisor_bob,
        disbursed_on=today - timedelta(days=40),
        first_due_date=today - timedelta(days=10),
    )
    statement = statement_produce(
        loan=loan, actor=staff_alice, period_end=today - timedelta(days=1)
    )
    document = document_upload(
        actor=user,
        upload=upload("deed.pdf", pdf_bytes(), "application/pdf"),
        document_type="deed",
        customer=customer,
    )
    urls = [
        reverse("customer:loan", args=[loan.number]),
        reverse("customer:loan_payoff_letter", args=[loan.number]),
        reverse("customer:loan_coupon_book", args=[loan.number]),
        reverse("customer:loan_statement", args=[loan.number, statement.pk]),
        reverse("customer:application", args=["loan", loan.application_id]),
        reverse("document_file", args=[document.pk]),
    ]
    olga_user, _ = customer_with_login("olga", "Olga", "Berg")
    olga = page_for(olga_user)
    for url in urls:
        response = olga.goto(url)
        assert response.status == 404, url
    # The same URLs are Carol's (so the 404s are not for made-up addresses).
    carol = page_for(user)
    assert carol.goto(urls[0]).status == 200
