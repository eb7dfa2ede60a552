"""Synthetic loan portfolios for benchmarks and demos (seeded, repeatable).

Each loan gets a payment history in one of five patterns: on time, late
(past the grace period, some months skipped), prepaid (extra principal now
and then), NSF (a check returned a week later, made up the next month) and
defaulted (stops paying). The rows are computed in memory with the engine's
own arithmetic (plan.py) and inserted in bulk (write.py), chunk by chunk,
each chunk in its own transaction; `verify.py` proves a sample equal to what
the engine's replay and sync would leave.

Loan `index` of a seed is always the same loan (number `GEN-<seed>-<index>`),
so a run with a larger `loans` adds only the missing ones.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, connections

from loans.models import Loan, LoanDayCount, LoanProduct
from loans.portfolio.plan import PATTERNS, ProductTerms, loan_number, plan_loan
from loans.portfolio.write import Tables, write_chunk

__all__ = ["PATTERNS", "generate_portfolio", "loan_number"]

_PRODUCT_CODES = ("EE", "EE-SOLAR", "WS", "ZI")


@dataclass(frozen=True)
class _Job:
    seed: int
    prefix: str
    today: date
    late_fees_through: date | None
    products: dict[str, ProductTerms]
    actor_id: int
    reason: str


def _products() -> dict[str, ProductTerms]:
    found = {p.code: p for p in LoanProduct.objects.filter(code__in=_PRODUCT_CODES)}
    missing = sorted(set(_PRODUCT_CODES) - set(found))
    if missing:
        raise ValueError(
            f"Loan products {', '.join(missing)} are missing; run migrate first."
        )
    return {
        code: ProductTerms(
            pk=p.pk,
            code=code,
            annual_rate=p.annual_rate,
            max_amount=p.max_amount.amount,
            max_term_months=p.max_term_months,
            late_fee=p.late_fee.amount,
            late_fee_grace_days=p.late_fee_grace_days,
            returned_payment_fee=p.returned_payment_fee.amount,
            lien_required_above=(
                p.lien_required_above.amount if p.lien_required_above else None
            ),
        )
        for code, p in found.items()
    }


def existing_indexes(prefix: str, seed: int) -> set[int]:
    start = f"{prefix}-{seed}-"
    numbers = Loan.objects.filter(number__startswith=start).values_list(
        "number", flat=True
    )
    return {int(n[len(start) :]) for n in numbers if n[len(start) :].isdigit()}


_tables: Tables | None = None


def _run_chunk(job: _Job, indexes: Sequence[int]) -> dict[str, int]:
    global _tables  # one lookup of the models' columns per process
    if _tables is None:
        _tables = Tables()
    plans = [
        plan_loan(
            seed=job.seed,
            index=i,
            prefix=job.prefix,
            today=job.today,
            products=job.products,
            late_fees_through=job.late_fees_through,
        )
        for i in indexes
    ]
    written = write_chunk(
        plans,
        tables=_tables,
        seed=job.seed,
        actor_id=job.actor_id,
        reason=job.reason,
    )
    counts = Counter(p.pattern for p in plans)
    counts.update(
        loans=written.loans,
        payments=written.payments,
        entries=written.entries,
        installments=written.installments,
    )
    return dict(counts)


def _run_chunk_star(args: tuple[_Job, Sequence[int]]) -> dict[str, int]:
    return _run_chunk(*args)


def generate_portfolio(
    *,
    actor: Any,
    loans: int,
    seed: int,
    today: date,
    prefix: str = "GEN",
    late_fees_through: date | None = None,
    workers: int = 1,
    chunk_size: int = 500,
    progress: Callable[[dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Make loans 0 .. loans-1 of the seed exist; return what was added:
    loans, payments, entries, installments, and loans per pattern.

    `late_fees_through`: charge the late fees the daily job would have
    charged through that date (None: none, as if it never ran).
    `workers` > 1 computes and writes chunks in that many processes
    (PostgreSQL only; each chunk commits on its own, so call it outside a
    transaction). With one worker, chunks are written in the caller's
    connection, each atomic (a savepoint inside an outer transaction)."""
    job = _Job(
        seed=seed,
        prefix=prefix,
        today=today,
        late_fees_through=late_fees_through,
        products=_products(),
        actor_id=actor.pk,
        reason=f"Synthetic portfolio (generate_portfolio, seed {seed})",
    )
    have = existing_indexes(prefix, seed)
    todo = [i for i in range(loans) if i not in have]
    chunks = [todo[i : i + chunk_size] for i in range(0, len(todo), chunk_size)]
    totals: Counter[str] = Counter({p: 0 for p in PATTERNS})
    totals.update(loans=0, payments=0, entries=0, installments=0)
    if workers <= 1 or connection.vendor != "postgresql" or len(chunks) < 2:
        for indexes in chunks:
            totals.update(_run_chunk(job, indexes))
            if progress:
                progress(dict(totals))
        return _counted_afresh(todo, totals)
    if connection.in_atomic_block:
        raise RuntimeError(
            "Parallel generation commits per chunk: call it outside a transaction."
        )
    # Children open their own connections; none may share the parent's socket.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, maxtasksperchild=None) as pool:
        for counts in pool.imap_unordered(
            _run_chunk_star, [(job, indexes) for indexes in chunks]
        ):
            totals.update(counts)
            if progress:
                progress(dict(totals))
    return _counted_afresh(todo, totals)


def _counted_afresh(todo: list[int], totals: Counter[str]) -> dict[str, int]:
    """Each loan written added a +1 row to the loans' counts by oldest
    unpaid due date (loans.models.counts); folded into one row per date, as
    the nightly job leaves them, so a generated portfolio's loan list reads
    a few thousand rows rather than one per loan."""
    if todo:
        LoanDayCount.rebuild()
    return dict(totals)
