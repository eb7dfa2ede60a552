"""Synthetic loan portfolios for benchmarks and demos (seeded, repeatable).

Each loan gets a payment history in one of five patterns: on time, late
(pays every month but a few weeks late, some months skipped), prepaid (extra
principal now and then), NSF (a check that bounced) and defaulted (stops
paying). Everything goes through the real services.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from loans import schedule
from loans.choices import ReversalReason
from loans.models import Loan
from loans.services.booking import loan_book
from loans.services.payments import payment_post, payment_reverse

PATTERNS = ["on_time", "on_time", "on_time", "late", "prepaid", "nsf", "defaulted"]


def generate_portfolio(
    *, actor: Any, loans: int, seed: int, today: date, prefix: str = "GEN"
) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    counts = {pattern: 0 for pattern in set(PATTERNS)}
    payments = 0
    for index in range(loans):
        number = f"{prefix}-{seed}-{index:06d}"
        if Loan.objects.filter(number=number).exists():
            continue
        product = rng.choice(["EE", "EE", "EE-SOLAR", "WS", "ZI"])
        principal = Decimal(rng.randrange(500_00, 10_000_00)) / 100
        term = rng.choice([12, 24, 36, 48, 60])
        rate = {
            "EE": Decimal("5.00"),
            "EE-SOLAR": Decimal("5.00"),
            "WS": Decimal("3.00"),
            "ZI": Decimal("0.00"),
        }[product]
        months_ago = rng.randrange(1, min(term, 30) + 1)
        disbursed = _add_months(today, -months_ago) - timedelta(
            days=rng.randrange(0, 20)
        )
        first_due = _add_months(disbursed, 1)
        loan = loan_book(
            actor=actor,
            number=number,
            product_code=product,
            customer_name=f"Generated Customer {index}",
            customer_email=f"gen{seed}-{index}@example.org",
            account_number=f"G{seed % 100:02d}{index:06d}",
            principal=principal,
            annual_rate=rate,
            term_months=term,
            first_due_date=first_due,
            disbursed_on=disbursed,
        )
        pattern = rng.choice(PATTERNS)
        counts[pattern] += 1
        payments += _history(loan, pattern, rng, actor, today)
    return {**counts, "payments": payments}


def _history(
    loan: Loan, pattern: str, rng: random.Random, actor: Any, today: date
) -> int:
    posted = 0
    stop_after = rng.randrange(1, 4) if pattern == "defaulted" else None
    for k in range(1, loan.term_months + 1):
        due = schedule.due_date(loan.first_due_date, k)
        if due > today or (stop_after is not None and k > stop_after):
            break
        if loan.status != "active":
            break
        received = due
        if pattern == "late":
            if rng.random() < 0.2:
                continue
            received = due + timedelta(days=rng.randrange(5, 40))
            if received > today:
                break
        amount = loan.installment_amount
        if pattern == "prepaid" and rng.random() < 0.3:
            amount += Decimal(rng.randrange(50_00, 500_00)) / 100
        reference = f"{loan.number}-P{k:03d}"
        try:
            result = payment_post(
                actor=actor,
                loan=loan,
                amount=amount,
                received_on=received,
                method=rng.choice(["check", "ach", "on_bill", "card"]),
                reference=reference,
            )
        except Exception:  # noqa: BLE001 - e.g. an amount beyond payoff near the end
            break
        posted += 1
        if pattern == "nsf" and k == 2:
            payment_reverse(
                actor=actor,
                payment=result.payment,
                reason=ReversalReason.NSF,
                note="Generated NSF",
                reversed_on=min(received + timedelta(days=7), today),
            )
        loan.refresh_from_db(fields=["status"])
    return posted


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return schedule.due_date(date(year, month + 1, min(day.day, 28)), 1)
