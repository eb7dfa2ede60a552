"""The nightly aging run for a date: late fees, statuses, the run's record.

`aging_run(as_of=..., actor=..., trigger=...)`:

1. charges the late fees due by the date (loans.services.late_fees: the
   candidates are found set-based, then each loan is judged and charged
   under its own lock in its own short transaction);
2. ages every open loan as of the date (loans.aging_selectors, set-based)
   and moves each to the status its age says, in one transaction, locking
   only the loans that change: active <-> delinquent (1 or more days past
   due), to defaulted at the product's `default_dpd` (stamping
   `defaulted_on`, the day it reached that age), to matured when past its
   final due date with a balance. Defaulted stays defaulted and matured stays
   matured until paid off (the engine closes a loan as paid off, whatever its
   status, when nothing is owed) or written off;
3. records the run (AgingRun) and, once committed, sends
   `loans.signals.aging_run_finished`;
4. folds the day's loan counts by oldest unpaid due date into one row per
   date (loans.models.counts).

Re-running a date changes nothing (no fee is charged twice, statuses already
agree) and running a skipped day catches up (fees depend only on payments
received by each grace end). A run for a date before the latest finished
run's date charges its fees but leaves the statuses, which reflect the later
date. Call it outside a transaction: step 1 commits one loan at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from loans import aging_selectors as aging
from loans.choices import OPEN_LOAN_STATUSES, LoanStatus
from loans.models import AgingRun, AgingTrigger, Loan, LoanDayCount
from loans.services.late_fees import late_fees_assess_totals
from loans.signals import aging_run_finished
from portal.audit import audit_context

FUTURE_DATE = "Aging runs for today or an earlier day, not for {day}."

S = LoanStatus

# The transitions the run makes, in the order they are written.
TRANSITION_REASONS: dict[str, str] = {
    S.DEFAULTED: "Defaulted: past due as long as the product's default allows",
    S.MATURED: "Matured with a balance: past its final due date",
    S.DELINQUENT: "Delinquent: past due as of {as_of}",
    S.ACTIVE: "Current again: nothing past due as of {as_of}",
}


@dataclass
class Plan:
    """What the statuses should become: loan id -> (new status, defaulted on)."""

    moves: dict[int, tuple[str, date | None]] = field(default_factory=dict)


def aging_target(
    age: aging.LoanAge, *, matured: bool, as_of: date
) -> tuple[str, date | None] | None:
    """The status a loan of this age moves to, with its default date; None
    when it stays. Defaulted and matured are kept until paid off."""
    status = age.status
    if status not in OPEN_LOAN_STATUSES or status == S.DEFAULTED:
        return None
    if age.oldest_unpaid_due is not None and age.days_past_due >= age.default_dpd:
        return S.DEFAULTED, age.oldest_unpaid_due + timedelta(days=age.default_dpd)
    if status == S.MATURED:
        return None
    if matured:
        return S.MATURED, None
    wanted = S.DELINQUENT if age.days_past_due >= 1 else S.ACTIVE
    return (wanted, None) if wanted != status else None


def aging_run(*, as_of: date, actor: Any, trigger: str) -> AgingRun:
    """Run the nightly job for a date (see the module docstring)."""
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": FUTURE_DATE.format(day=f"{as_of:%B %-d, %Y}")})
    if trigger not in AgingTrigger.values:
        raise ValueError(f"Unknown trigger {trigger!r}.")
    started_at = timezone.now()
    later_run = AgingRun.objects.filter(
        as_of__gt=as_of, finished_at__isnull=False
    ).exists()
    # The last finished run for this date or an earlier one judged every
    # installment whose grace ended before its date (late_fee_candidates).
    previous = (
        AgingRun.objects.filter(as_of__lte=as_of, finished_at__isnull=False)
        .order_by("-as_of", "-started_at")
        .first()
    )
    since = (previous.as_of, previous.started_at) if previous else None
    reason = f"Aging run as of {as_of}"
    with audit_context(user=actor, reason=reason):
        fees_count, fees_amount = late_fees_assess_totals(
            actor=actor, as_of=as_of, since=since
        )
        with transaction.atomic():
            ages = aging.aging_rows(as_of)
            # Read once: both the moves and the standing counts need it.
            matured = aging.matured_with_balance(
                as_of, {a.loan_id for a in ages if a.days_past_due > 0}
            )
            moved: dict[str, int] = dict.fromkeys(TRANSITION_REASONS, 0)
            if not later_run:
                moved = _move_statuses(ages, matured, as_of, actor)
            counts = aging.bucket_counts(ages)
            defaulted_loans, matured_loans = _standing(ages, matured, as_of)
            run = AgingRun.objects.create(
                as_of=as_of,
                trigger=trigger,
                started_by=actor,
                started_at=started_at,
                finished_at=timezone.now(),
                loans=len(ages),
                buckets=counts,
                late_fees_count=fees_count,
                late_fees_amount=fees_amount,
                to_delinquent=moved[S.DELINQUENT],
                to_active=moved[S.ACTIVE],
                to_defaulted=moved[S.DEFAULTED],
                to_matured=moved[S.MATURED],
                defaulted_loans=defaulted_loans,
                matured_loans=matured_loans,
                statuses_kept=later_run,
            )
            transaction.on_commit(
                lambda: aging_run_finished.send(
                    sender=AgingRun, as_of=as_of, actor=actor, run=run
                )
            )
    # The loan counts' +1/-1 rows of the day folded into one row per date
    # (loans.models.counts), counted afresh from the loans.
    LoanDayCount.rebuild()
    return run


def _standing(
    ages: list[aging.LoanAge], matured: set[int], as_of: date
) -> tuple[int, int]:
    """How many of the aged loans are in default and how many matured with a
    balance as of the date (`matured`: their ids): the status each has, or
    moves to on that date."""
    standing: dict[str, int] = {S.DEFAULTED: 0, S.MATURED: 0}
    for age in ages:
        target = aging_target(age, matured=age.loan_id in matured, as_of=as_of)
        status = target[0] if target is not None else age.status
        if status in standing:
            standing[status] += 1
    return standing[S.DEFAULTED], standing[S.MATURED]


def _move_statuses(
    ages: list[aging.LoanAge], matured: set[int], as_of: date, actor: Any
) -> dict[str, int]:
    """Lock the loans whose status changes, re-judge each on its locked row
    (a payment may have moved or closed it meanwhile), and write each kind of
    change set-based, with its history rows and reason."""
    planned = {
        a.loan_id: a
        for a in ages
        if aging_target(a, matured=a.loan_id in matured, as_of=as_of) is not None
    }
    moved: dict[str, int] = dict.fromkeys(TRANSITION_REASONS, 0)
    changes: dict[str, list[tuple[int, date | None]]] = {
        status: [] for status in TRANSITION_REASONS
    }
    today = as_of >= timezone.localdate()
    ids = sorted(planned)
    for chunk in _chunks(ids):
        # Lock in id order (as every bulk writer here does) so two runs cannot
        # deadlock; of=self leaves the product rows free.
        locked = (
            Loan.objects.select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "status", "oldest_unpaid_due")
        )
        for pk, status, oldest in locked:
            age = planned[pk]
            if today and oldest != age.oldest_unpaid_due:
                continue  # a payment moved it since it was read: next run
            if status != age.status:
                continue  # changed since it was read (paid off, written off)
            target = aging_target(age, matured=pk in matured, as_of=as_of)
            if target is not None:
                changes[target[0]].append((pk, target[1]))
    for status, rows in changes.items():
        if rows:
            reason = TRANSITION_REASONS[status].format(as_of=as_of)
            _write_statuses(status, rows, actor, f"{reason} (aging run {as_of})")
            moved[status] = len(rows)
    return moved


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _write_statuses(
    status: str, rows: list[tuple[int, date | None]], actor: Any, reason: str
) -> None:
    """Set one new status (and the default dates) on many loans and copy the
    changed rows into their history in SQL, with the actor and the reason.

    A first run over a freshly loaded 100,000-loan portfolio moves tens of
    thousands of loans: Django's bulk_update (a CASE per row and field) and
    building a history object per row took minutes; these statements take
    seconds. Only the loan table and its history table are written."""
    loan_table = connection.ops.quote_name(Loan._meta.db_table)
    history = Loan.history.model
    history_table = connection.ops.quote_name(history._meta.db_table)
    columns = [
        connection.ops.quote_name(str(field.column))
        for field in Loan._meta.concrete_fields
    ]
    now = timezone.now()
    with connection.cursor() as cursor:
        # One UPDATE per default date and chunk of ids, not one per loan.
        by_date: dict[date | None, list[int]] = {}
        for pk, defaulted_on in rows:
            by_date.setdefault(defaulted_on, []).append(pk)
        for defaulted_on, pks in by_date.items():
            for chunk in _chunks(pks, 500):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {loan_table} SET status = %s, "  # noqa: S608 - our table
                    f"defaulted_on = COALESCE(%s, defaulted_on) WHERE id IN ({marks})",
                    [status, defaulted_on, *chunk],
                )
        for chunk in _chunks([pk for pk, _ in rows], 500):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {history_table} ({', '.join(columns)}, "  # noqa: S608
                "history_date, history_change_reason, history_type, "
                f"history_user_id) SELECT {', '.join(columns)}, %s, %s, '~', %s "
                f"FROM {loan_table} WHERE id IN ({marks})",
                [now, reason[:100], getattr(actor, "pk", None), *chunk],
            )
