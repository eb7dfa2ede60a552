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
