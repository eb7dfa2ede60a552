"""Concurrent approvals that would overrun the budget: only those that fit
succeed (PostgreSQL, real connections, one per thread)."""

import threading
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, connections

import pytest

from programs import services as svc
from programs.selectors import budget_position

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and real connections",
    ),
]


def test_concurrent_approvals_never_over_commit_the_budget(
    apply, program, staff_alice, supervisor_bob
):
    # Budget $1,000.00, six applications of $300.00: only three fit.
    apps = [
        svc.rebate_start_review(actor=staff_alice, application=apply())
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(apps))
    outcomes = []

    def approve(app):
        try:
            barrier.wait()
            svc.rebate_approve(actor=supervisor_bob, application=app)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved"] * 3 + ["refused"] * 3
    assert budget_position(program).committed == Decimal("900.00")


def test_concurrent_approvals_never_approve_two_furnaces_for_one_premise(
    apply, program, staff_alice, supervisor_bob
):
    from tests.factories import MeasureFactory, PropertyFactory, UtilityAccountFactory

    furnace = MeasureFactory(
        program=program,
        code="FURNACE",
        amount=Decimal("400.00"),
        limit_kind="one_per_premise",
    )
    premise = PropertyFactory()
    apps = [
        svc.rebate_start_review(
            actor=staff_alice,
            application=apply(
                account=UtilityAccountFactory(service_property=premise),
                the_measure=furnace,
            ),
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(len(apps))
    outcomes = []

    def approve(app):
        try:
            barrier.wait()
            svc.rebate_approve(actor=supervisor_bob, application=app)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == [
        [
            "FURNACE: One per premise: this premise already has 1 previous "
            "installation(s) of this measure."
        ],
        "approved",
    ]
    assert budget_position(program).committed == Decimal("400.00")
