from datetime import date
from decimal import Decimal

import pytest
from djmoney.money import Money

from programs.services import LineRequest, rebate_application_create
from tests.factories import MeasureFactory, ProgramFactory, UtilityAccountFactory


@pytest.fixture
def program(db):
    return ProgramFactory(code="REE", budget=Money("1000.00", "USD"))


@pytest.fixture
def measure(program):
    return MeasureFactory(program=program, code="TANKLESS", amount=Decimal("300.00"))


@pytest.fixture
def apply(measure, staff_alice):
    """apply(quantity=1, account=None) -> a submitted application for $300/unit."""

    def make(quantity="1", account=None, actor=None, the_measure=None):
        account = account or UtilityAccountFactory()
        return rebate_application_create(
            actor=actor or staff_alice,
            program=(the_measure or measure).program,
            account=account,
            lines=[LineRequest(the_measure or measure, Decimal(quantity))],
            install_date=date(2026, 3, 1),
        )

    return make


@pytest.fixture
def post_for_messages(client):
    """post(url, data) -> (response, the messages it left); the messages are
    then cleared by showing the page redirected to, as a browser would."""
    from django.contrib.messages import get_messages

    def post(url, data=None):
        response = client.post(url, data or {})
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        if response.status_code == 302:
            client.get(response["Location"])
        return response, shown

    return post
