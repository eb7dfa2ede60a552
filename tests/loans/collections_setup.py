"""Shared set-up for the collections tests: a booked loan that falls behind,
payments, and recording actions on a given day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

import time_machine

from loans.models import Loan
from loans.services.collections import collection_action_record
from loans.services.payments import payment_post

# Booked on Jan 1, 2026, first due Feb 1: with nothing paid it is 10 days
# past due on Feb 11, 2026.
FIRST_DUE = date(2026, 2, 1)
_references = count(1)


def pay(actor, loan: Loan, amount: str, on: date) -> None:
    with time_machine.travel(on, tick=False):
        payment_post(
            actor=actor,
            loan=loan,
            amount=Decimal(amount),
            received_on=on,
            method="check",
            reference=f"PAY-{next(_references)}-{loan.number}",
        )


def record(actor, loan: Loan, type: str, on: date, channel: str = "mail", **extra):
    with time_machine.travel(on, tick=False):
        return collection_action_record(
            actor=actor, loan=loan, type=type, on=on, channel=channel, **extra
        )


def fresh(loan: Loan) -> Loan:
    return Loan.objects.get(pk=loan.pk)
