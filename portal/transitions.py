"""Workflow transitions as one checked family.

Every workflow model (loan applications, loans, rebate applications, rebate
payments, disbursement checks, later liens and reports) answers, for each of
its named actions, a predicate on the model:

    def can_approve(self, actor) -> Verdict: ...

A `Verdict` is truthy when the action is open to that actor now and carries
the reason when it is not ("Application LA-000004 is approved; it can't be
declined from there."). The predicate checks the state, the actor's role and
the action's preconditions; amounts and limits given with the action (four
eyes, budgets) are the service's part.

A service per action then does the same four steps, through `locked()`:

1. lock the row (`select_for_update`), so two people acting at once are
   judged one after the other;
2. ask the predicate on the locked row, refusing with its reason;
3. set the state and the action's own date;
4. save with a history reason (`save_transition`).

Screens, admin buttons and the API show the actions whose predicate is true
(`open_actions`) and refuse with the same reasons, so a button is never
offered that the service would refuse for the state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.audit import SYSTEM_USERNAME, audit_context

M = TypeVar("M", bound=models.Model)

WRONG_STATE = "{what} is {state}; it can't be {verb} from there."
SAME_PERSON = "The approver must be a different person from the one who prepared it."


@dataclass(frozen=True)
class Verdict:
    """The answer of a `can_<action>` predicate: allowed, or why not."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def refuse(reason: str) -> Verdict:
    return Verdict(False, reason)


def in_state(
    obj: Any, states: Iterable[str], *, verb: str, what: str | None = None
) -> Verdict:
    """ALLOWED when the object's status is one of `states`; otherwise the
    standard refusal naming the object, its state and the action."""
    if obj.status in set(states):
        return ALLOWED
    return refuse(
        WRONG_STATE.format(
            what=what or str(obj),
            state=obj.get_status_display().lower(),
            verb=verb,
        )
    )


def has_perm(actor: Any, permission: str, *, doing: str) -> Verdict:
    """The actor's role allows the action. The system user (scheduled jobs and
    commands nobody started by hand; it cannot log in) acts with every
    permission, but it has no approval limit, so it never approves."""
    if actor is not None and (
        actor.has_perm(permission) or actor.get_username() == SYSTEM_USERNAME
    ):
        return ALLOWED
    return refuse(f"You don't have permission to {doing}.")


def first_refusal(*verdicts: Verdict) -> Verdict:
    for verdict in verdicts:
        if not verdict:
            return verdict
    return ALLOWED


class TransitionRefused(ValidationError):
    """A predicate said no; the message is its reason."""


def check(obj: Any, action: str, actor: Any) -> None:
    verdict: Verdict = getattr(obj, f"can_{action}")(actor)
    if not verdict:
        raise TransitionRefused(verdict.reason, code="refused")


def locked(model: type[M], pk: Any, action: str, actor: Any) -> M:
    """Lock the row, then ask its `can_<action>` predicate; raise with the
    predicate's reason if it refuses. Call inside a transaction."""
    obj = model._default_manager.select_for_update().get(pk=pk)
    check(obj, action, actor)
    return obj


def save_transition(
    obj: M,
    *,
    actor: Any,
    reason: str,
    status: str | None = None,
    stamp: str | None = None,
    **changes: Any,
) -> M:
    """Set the new state, the action's own date (`stamp` names the field;
    a DateTimeField gets now, a DateField today) and other changes, and save
    with the acting user and the history reason."""
    if status is not None:
        obj.status = status  # type: ignore[attr-defined]
    if stamp is not None:
        field = obj._meta.get_field(stamp)
        now = timezone.now()
        is_datetime = isinstance(field, models.DateTimeField)
        setattr(obj, stamp, now if is_datetime else timezone.localdate())
    for name, value in changes.items():
        setattr(obj, name, value)
    with audit_context(user=actor, reason=reason):
        obj.save()
    return obj


def open_actions(obj: Any, actor: Any, actions: Sequence[str]) -> list[str]:
    """The actions (in the given order) whose predicate allows `actor` now."""
    return [action for action in actions if getattr(obj, f"can_{action}")(actor)]
