"""A report kind for the workflow tests, whose rows are whatever the test
puts in `DATA` (the real PSC kind is tested on its own). Registered under
"test_kind" while the `fake_kind` fixture is in use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from regulatory_reports.kinds import (
    KINDS,
    Column,
    ReportError,
    ReportKind,
    ReportResult,
    Section,
    money,
)

KEY = "test_kind"

# Each payment: loan number, received date, amount. `broken` names loans
# that make the report refuse to generate.
DATA: dict[str, Any] = {"payments": [], "broken": []}


class FakeKind(ReportKind):
    key = KEY
    title = "Test receipts report"

    def build(self, *, start: date, end: date) -> ReportResult:
        if DATA["broken"]:
            raise ReportError(
                "the reconciliation fails for loans " + ", ".join(DATA["broken"])
            )
        rows = [
            {"loan": loan, "received_on": on, "amount": amount}
            for loan, on, amount in DATA["payments"]
            if start <= on <= end
        ]
        total = sum((r["amount"] for r in rows), Decimal("0.00"))
        return ReportResult(
            figures={"receipts": {"count": len(rows), "amount": money(total)}},
            summary=[("Payments received", total, "money")],
            sections=[
                Section(
                    key="receipts",
                    title="Payment receipts",
                    columns=[
                        Column("loan", "Loan"),
                        Column("received_on", "Received", "date"),
                        Column("amount", "Amount", "money"),
                    ],
                    rows=iter(rows),  # a one-pass iterable, as a real kind may give
                    totals={"amount": total},
                    loan_key="loan",
                )
            ],
        )


def install() -> None:
    KINDS[KEY] = FakeKind
    DATA["payments"] = [
        ("ZI-0001", date(2026, 7, 10), Decimal("100.00")),
        ("ZI-0002", date(2026, 8, 3), Decimal("250.50")),
        ("ZI-0003", date(2026, 10, 2), Decimal("75.00")),  # after Q3
    ]
    DATA["broken"] = []


def uninstall() -> None:
    KINDS.pop(KEY, None)


# Fixtures: import them into a test module (`from ... import test_kind`).
import pytest  # noqa: E402
import time_machine  # noqa: E402

TODAY = date(2026, 11, 24)


@pytest.fixture
def test_kind(db):
    """The fake kind installed, on a fixed day after 2026-Q3 has ended."""
    install()
    with time_machine.travel(date(2026, 11, 24), tick=False):
        yield DATA
    uninstall()


@pytest.fixture
def supervisor_sam(db):
    """A second supervisor: the four-eyes partner of supervisor_bob."""
    from django.contrib.auth.models import Group

    from portal import roles
    from tests.factories import UserFactory

    user = UserFactory(username="sam", first_name="Sam")
    user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    return user
