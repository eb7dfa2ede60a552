"""Collection actions: the one way a letter, call, visit, promise to pay,
referral or other step taken on a loan gets into its collection history;
and the day's follow-up of promises to pay and payment arrangements
(`collections_day`, called by the nightly job)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from loans.choices import (
    ActionChannel,
    ActionType,
    ArrangementStatus,
    PaymentStatus,
    PromiseStatus,
)
from loans.models import (
    ArrangementPayment,
    CollectionAction,
    Loan,
    Payment,
    PaymentArrangement,
)
from portal.audit import audit_context, bulk_update_audited
from portal.checks import future_problem, text_problem
from portal.money import ZERO
from portal.transitions import has_perm, save_transition

PROMISE_NEEDS_BOTH = "A promise to pay needs both the amount and the date."
PROMISE_ONLY_ON_PROMISE = "Only a promise to pay has a promised amount and date."
PROMISE_NOT_POSITIVE = "The promised amount must be more than $0.00."
PROMISE_BEFORE_ACTION = "The promised date can't be before the day of the promise."
ACTION_BEFORE_LOAN = (
    "The action's date can't be before the loan was disbursed ({day:%B %-d, %Y})."
)
OUTCOME_TOO_LONG = "Keep the outcome to 200 characters; put the rest in the note."


def collection_action_record(
    *,
    actor: Any,
    loan: Loan,
    type: str,
    on: date,
    channel: str,
    outcome: str = "",
    note: str = "",
    promise_amount: Decimal | None = None,
    promise_date: date | None = None,
) -> CollectionAction:
    """Record one action taken to collect `loan` on day `on` by `actor`."""
    verdict = has_perm(
        actor, "loans.record_collection_action", doing="record collection actions"
    )
    if not verdict:
        raise ValidationError(verdict.reason)
    errors: dict[str, str] = {}
    if type not in ActionType.values:
        errors["type"] = f"{type!r} is not a kind of collection action."
    if channel not in ActionChannel.values:
        errors["channel"] = f"{channel!r} is not a channel."
    if problem := future_problem(on, "The action's date"):
        errors["date"] = problem
    elif loan.disbursed_on is not None and on < loan.disbursed_on:
        errors["date"] = ACTION_BEFORE_LOAN.format(day=loan.disbursed_on)
    if len(outcome) > 200:
        errors["outcome"] = OUTCOME_TOO_LONG
    elif problem := text_problem(outcome):
        errors["outcome"] = problem
    if problem := text_problem(note):
        errors["note"] = problem
    is_promise = type == ActionType.PROMISE_TO_PAY
    if is_promise and (promise_amount is None or promise_date is None):
        errors["promise_amount"] = PROMISE_NEEDS_BOTH
    elif not is_promise and (promise_amount is not None or promise_date is not None):
        errors["promise_amount"] = PROMISE_ONLY_ON_PROMISE
    elif promise_amount is not None and promise_amount <= 0:
        errors["promise_amount"] = PROMISE_NOT_POSITIVE
    elif promise_date is not None and promise_date < on:
        errors["promise_date"] = PROMISE_BEFORE_ACTION
    if errors:
        raise ValidationError(errors)
    with (
        transaction.atomic(),
        audit_context(
            user=actor,
            reason=f"{ActionType(type).label} recorded on loan {loan.number}",
        ),
    ):
        return CollectionAction.objects.create(
            loan=loan,
            type=type,
            date=on,
            channel=channel,
            outcome=outcome,
            note=note,
            by=actor,
            promise_amount=promise_amount,
            promise_date=promise_date,
            promise_status=PromiseStatus.OPEN if is_promise else "",
        )


# --------------------------------------------------------------------------
# The day's follow-up: promises to pay and payment arrangements
# --------------------------------------------------------------------------


def _payments_by_loan(
    loan_ids: set[int], since: date, until: date
) -> dict[int, list[tuple[date, Decimal]]]:
    """Posted (not reversed) payments of these loans received in the window,
    as {loan id: [(received_on, amount)]}. One query."""
    found: dict[int, list[tuple[date, Decimal]]] = {pk: [] for pk in loan_ids}
    rows = Payment.objects.filter(
        loan_id__in=loan_ids,
        status=PaymentStatus.POSTED,
        received_on__gte=since,
        received_on__lte=until,
    ).values_list("loan_id", "received_on", "amount")
    for loan_id, received_on, amount in rows:
        found[loan_id].append((received_on, amount))
    return found


def _received(
    payments: list[tuple[date, Decimal]], since: date, until: date
) -> Decimal:
    return sum((a for day, a in payments if since <= day <= until), ZERO)


def promises_judge(*, as_of: date, actor: Any) -> dict[str, int]:
    """Every open promise to pay whose date is on or before `as_of`: kept
    when the posted payments received from the day it was made through the
    promised date cover the promised amount, broken otherwise. What was
    judged stays judged, so a second run for the day changes nothing, and
    a catch-up run judges exactly what the daily runs would have."""
    due = list(
        CollectionAction.objects.select_for_update()
        .filter(promise_status=PromiseStatus.OPEN, promise_date__lte=as_of)
        .order_by("pk")
    )
    counts = {"kept": 0, "broken": 0}
    if not due:
        return counts
    payments = _payments_by_loan(
        {p.loan_id for p in due},
        min(p.date for p in due),
        max(p.promise_date for p in due if p.promise_date),
    )
    for promise in due:
        assert promise.promise_date is not None and promise.promise_amount is not None
        paid = _received(payments[promise.loan_id], promise.date, promise.promise_date)
        kept = paid >= promise.promise_amount
        promise.promise_status = PromiseStatus.KEPT if kept else PromiseStatus.BROKEN
        promise.promise_judged_on = as_of
        counts["kept" if kept else "broken"] += 1
    with audit_context(user=actor, reason=f"Promises to pay judged as of {as_of}"):
        bulk_update_audited(
            CollectionAction, due, ["promise_status", "promise_judged_on"]
        )
    return counts


def arrangements_judge(*, as_of: date, actor: Any) -> dict[str, int]:
    """Every active arrangement with a payment date on or before `as_of`:
    broken on the first such date whose cumulative scheduled amount the
    posted payments received from the day it was agreed through that date
    do not cover; completed when every date has passed and each was
    covered. The dates it records are the schedule's, not the run's, so a
    catch-up run records what daily runs would have."""
    active = list(
        PaymentArrangement.objects.select_for_update()
        .filter(status=ArrangementStatus.ACTIVE, first_due_date__lte=as_of)
        .order_by("pk")
    )
    counts = {"completed": 0, "broken": 0}
    if not active:
        return counts
    schedule: dict[int, list[ArrangementPayment]] = {a.pk: [] for a in active}
    for row in ArrangementPayment.objects.filter(arrangement__in=active).order_by(
        "arrangement", "number"
    ):
        schedule[row.arrangement_id].append(row)
    payments = _payments_by_loan(
        {a.loan_id for a in active}, min(a.agreed_on for a in active), as_of
    )
    for arrangement in active:
        rows = schedule[arrangement.pk]
        owed = ZERO
        broken_on = None
        for row in rows:
            if row.due_date > as_of:
                break
            owed += row.amount
            paid = _received(
                payments[arrangement.loan_id], arrangement.agreed_on, row.due_date
            )
            if paid < owed:
                broken_on = row.due_date
                break
        changes: dict[str, Any]
        if broken_on is not None:
            status, changes = ArrangementStatus.BROKEN, {"broken_on": broken_on}
            counts["broken"] += 1
        elif rows and rows[-1].due_date <= as_of:
            status = ArrangementStatus.COMPLETED
            changes = {"completed_on": rows[-1].due_date}
            counts["completed"] += 1
        else:
            continue
        save_transition(
            arrangement,
            actor=actor,
            reason=f"Arrangement {arrangement.reference} "
            f"{ArrangementStatus(status).label.lower()} (judged as of {as_of})",
            status=status,
            **changes,
        )
    return counts


def collections_day(*, as_of: date, actor: Any) -> dict[str, Any]:
    """The collections work of a day (the nightly job calls it after aging):
    promises to pay and payment arrangements due by `as_of` judged kept or
    broken. Idempotent per `as_of`: a second run for the same day finds
    nothing left to judge and changes nothing."""
    with transaction.atomic():
        promises = promises_judge(as_of=as_of, actor=actor)
        arrangements = arrangements_judge(as_of=as_of, actor=actor)
    return {
        "as_of": as_of,
        "promises_kept": promises["kept"],
        "promises_broken": promises["broken"],
        "arrangements_completed": arrangements["completed"],
        "arrangements_broken": arrangements["broken"],
    }


def collection_letters_send(*, as_of: date, actor: Any) -> int:
    """Send the ladder's letters due on `as_of`: every delinquent loan whose
    next recommended step is a letter gets that notice (PDF, correspondence,
    e-mail when the customer has an address) and a `letter` action recorded,
    so the ladder moves on. Idempotent per `as_of`: a re-run finds those steps
    done. Calls, visits and referrals stay in the queue for staff. Returns how
    many letters were sent."""
    # Imported here: the selectors read this module's models and the letters
    # service renders PDFs; neither is needed to record an action.
    from loans.selectors_collections import collection_queue
    from loans.services.letters import notice_send

    sent = 0
    for row in collection_queue(as_of):
        step = row.next_step
        if step is None or step.action_type != ActionType.LETTER:
            continue
        with transaction.atomic():
            notice_send(
                loan=row.loan, template_code=step.template_code, actor=actor, on=as_of
            )
            collection_action_record(
                actor=actor,
                loan=row.loan,
                type=ActionType.LETTER,
                on=as_of,
                channel=ActionChannel.MAIL,
                outcome=f"{step.label or 'Letter'} sent",
                note="Sent by the nightly collections run.",
            )
        sent += 1
    return sent


def collections_after_aging(*, as_of: date, actor: Any, **_: Any) -> None:
    """Receiver of `loans.signals.aging_run_finished`: once the day's
    statuses are known, judge the promises and arrangements due. Letters are
    their own scheduled job (`send_collection_letters`), so a night's aging
    does not wait for thousands of PDFs."""
    collections_day(as_of=as_of, actor=actor)
