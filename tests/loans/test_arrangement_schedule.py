"""An arrangement's schedule: the past-due amount spread over the months to
the cent (the last month absorbs the rounding), on top of the loan's own
installments falling due in each month."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from loans.ladder import spread
from loans.models import CollectionAction
from loans.services.arrangements import arrangement_propose

TODAY = date(2026, 4, 15)


@given(
    cents_=st.integers(min_value=1, max_value=10**12),
    months=st.integers(min_value=1, max_value=24),
)
def test_the_parts_always_sum_to_the_past_due_amount(cents_, months):
    amount = Decimal(cents_) / 100
    if cents_ < months:
        return  # refused by the service: less than a cent a month
    parts = spread(amount, months)
    assert len(parts) == months
    assert sum(parts) == amount
    assert all(p == parts[0] for p in parts[:-1])
    assert parts[0] <= parts[-1] < parts[0] + Decimal("0.01") * months


def test_the_last_month_absorbs_the_rounding():
    assert spread(Decimal("100.00"), 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


@pytest.mark.django_db
def test_proposing_spreads_the_past_due_amount_on_top_of_each_installment(
    book, staff_alice
):
    loan = book("L-1")  # $188.71 a month from Feb 1; nothing paid
    with time_machine.travel(TODAY, tick=False):
        arrangement = arrangement_propose(
            actor=staff_alice,
            loan=loan,
            months=4,
            first_due_date=date(2026, 5, 10),
            channel="phone",
            note="Customer lost hours at work; can pay more from May.",
        )
    # Feb, Mar and Apr 1 are past due: 3 x $188.71.
    assert arrangement.past_due_amount == Decimal("566.13")
    assert arrangement.status == "proposed"
    rows = [
        (r.due_date, r.regular_amount, r.catch_up_amount)
        for r in arrangement.payments.order_by("number")
    ]
    assert rows == [
        (date(2026, 5, 10), Decimal("188.71"), Decimal("141.53")),
        (date(2026, 6, 10), Decimal("188.71"), Decimal("141.53")),
        (date(2026, 7, 10), Decimal("188.71"), Decimal("141.53")),
        (date(2026, 8, 10), Decimal("188.71"), Decimal("141.54")),
    ]
    action = CollectionAction.objects.get(loan=loan)
    assert action.type == "arrangement"
    assert action.channel == "phone"
    assert action.date == TODAY
    assert arrangement.action == action
    assert "$566.13" in action.outcome


@pytest.mark.django_db
def test_an_arrangement_is_refused_for_a_loan_not_past_due(book, staff_alice):
    from django.core.exceptions import ValidationError

    loan = book("L-1")
    with (
        time_machine.travel(date(2026, 1, 20), tick=False),
        pytest.raises(ValidationError, match="not past due"),
    ):
        arrangement_propose(
            actor=staff_alice,
            loan=loan,
            months=3,
            first_due_date=date(2026, 2, 1),
            channel="phone",
        )
    assert not CollectionAction.objects.exists()
