"""A loan's collection actions over the API.

GET  /loans/{number}/actions → newest first
     [{"id", "type", "date", "channel", "outcome", "note", "by"}]
POST /loans/{number}/actions {"type", "date", "channel", "outcome", "note",
     "promise_amount"?, "promise_date"?} → 201 with the action.

`by` is the person who recorded it as the back office shows people: the full
name, or the username when no name is known (as "customer" is a name
elsewhere in the API). Amounts are JSON strings ("250.00").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404

from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from loans.choices import ActionChannel, ActionType
from loans.models import CollectionAction, Loan
from loans.selectors_collections import actions_newest_first
from loans.services.collections import collection_action_record
from portal.api_auth import require_permission
from portal.api_schema import StrictIn
from portal.checks import CleanStr
from portal.money import MoneyText
from portal.templatetags.portal_format import person_text

router = Router(tags=["collections"])


def _choice(value: str, choices: type[ActionType] | type[ActionChannel]) -> str:
    if value not in choices.values:
        raise ValueError("Choose one of: " + ", ".join(choices.values) + ".")
    return value


class ActionIn(StrictIn):
    type: str
    date: dt.date
    channel: str
    outcome: CleanStr = Field("", max_length=200)
    note: CleanStr = Field("", max_length=4000)
    promise_amount: MoneyText | None = None
    promise_date: dt.date | None = None

    @field_validator("type")
    @classmethod
    def known_type(cls, value: str) -> str:
        return _choice(value, ActionType)

    @field_validator("channel")
    @classmethod
    def known_channel(cls, value: str) -> str:
        return _choice(value, ActionChannel)


class ActionOut(Schema):
    id: int
    type: str
    date: dt.date
    channel: str
    outcome: str
    note: str
    by: str


def _body(action: CollectionAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "type": action.type,
        "date": action.date,
        "channel": action.channel,
        "outcome": action.outcome,
        "note": action.note,
        "by": person_text(action.by),
    }


def _loan(number: str) -> Loan:
    return get_object_or_404(Loan, number=number)


@router.get("/loans/{number}/actions", response=list[ActionOut])
def loan_actions(request: Any, number: str) -> Any:
    require_permission(
        request, "loans.view_collectionaction", "view collection actions"
    )
    return [_body(action) for action in actions_newest_first(_loan(number))]


@router.post("/loans/{number}/actions", response={201: ActionOut})
def loan_action_record(request: Any, number: str, payload: ActionIn) -> Any:
    require_permission(
        request, "loans.record_collection_action", "record collection actions"
    )
    action = collection_action_record(
        actor=request.user,
        loan=_loan(number),
        type=payload.type,
        on=payload.date,
        channel=payload.channel,
        outcome=payload.outcome,
        note=payload.note,
        promise_amount=payload.promise_amount,
        promise_date=payload.promise_date,
    )
    return Status(201, _body(action))
