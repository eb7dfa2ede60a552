"""Collections arithmetic with no database: which ladder step a delinquent
loan needs next, and how an arrangement spreads a past-due amount.

The delinquency episode. A loan's episode starts on the due date of its
oldest unpaid installment (`Loan.oldest_unpaid_due`) and lasts while that
installment stays unpaid; the actions dated on or after that day belong to
it. Paying the loan current moves the oldest unpaid due date past today, so
the episode ends; the next time the loan falls behind a new episode starts
and the ladder starts again from the bottom.

The next recommended action. A step is reached once the loan is at least
its threshold of days past due, or once its `after_action` (e.g. a
judgment) has been recorded in the episode. Each action recorded in the
episode does the furthest step of its kind that was reached on the day it
was taken (a letter at 35 days past due is the second notice, not the
reminder); an action taken before any step of its kind was reached does the
first step of its kind (the office got there early). The loan's next action
is the furthest reached step, unless that step or one further up the ladder
has been done in the episode: the ladder never repeats a step in an episode
and never goes back down.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.money import CENT, cents


@dataclass(frozen=True)
class Rung:
    """A ladder step as the arithmetic needs it (loans.CollectionStep)."""

    order: int
    dpd_threshold: int
    action_type: str
    after_action: str = ""
    label: str = ""
    channel: str = ""
    template_code: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class Done:
    """An action recorded in the episode: its kind and its date."""

    type: str
    date: date


def _reached_on(rung: Rung, start: date, day: date, actions: Sequence[Done]) -> bool:
    if (day - start).days >= rung.dpd_threshold:
        return True
    return bool(rung.after_action) and any(
        a.type == rung.after_action and a.date <= day for a in actions
    )


def steps_done(
    rungs: Sequence[Rung], *, start: date, actions: Sequence[Done]
) -> set[int]:
    """The orders of the steps the episode's actions did (see the module)."""
    done: set[int] = set()
    for action in actions:
        if action.date < start:
            continue  # an earlier episode's
        of_kind = [r for r in rungs if r.action_type == action.type]
        if not of_kind:
            continue
        reached = [r for r in of_kind if _reached_on(r, start, action.date, actions)]
        chosen = max(reached, key=lambda r: r.order) if reached else of_kind[0]
        done.add(chosen.order)
    return done


def next_step(
    rungs: Iterable[Rung], *, start: date | None, as_of: date, actions: Sequence[Done]
) -> Rung | None:
    """The step a loan past due since `start` needs as of `as_of`, or None
    (not past due, nothing reached yet, or already done; see the module)."""
    if start is None or start >= as_of:
        return None
    ordered = sorted(rungs, key=lambda r: r.order)
    episode = [a for a in actions if start <= a.date <= as_of]
    reached = [r for r in ordered if _reached_on(r, start, as_of, episode)]
    if not reached:
        return None
    top = reached[-1]
    done = steps_done(ordered, start=start, actions=episode)
    if done and max(done) >= top.order:
        return None
    return top


def spread(amount: Decimal, months: int) -> list[Decimal]:
    """`amount` in `months` equal parts to the cent; the last part absorbs
    the rounding, so the parts always sum to the amount exactly."""
    if months < 1:
        raise ValueError("An arrangement spreads over at least one month.")
    if amount <= 0 or amount != cents(amount):
        raise ValueError(f"Spread a positive whole number of cents, not {amount}.")
    # Round down to the cent so the last part is never smaller than the
    # others by more than the rounding (never negative).
    part = (amount / months).quantize(CENT, rounding="ROUND_DOWN")
    parts = [part] * (months - 1)
    parts.append(amount - part * (months - 1))
    return parts
