"""What a customer may do to their own workflow records on the public site.

The records' `can_<action>` predicates (portal/transitions.py) ask these for
the customer's steps, so the staff's and the customer's rules live side by
side on the model and the services refuse with the same words."""

from __future__ import annotations

from typing import Any

from portal.transitions import ALLOWED, Verdict, refuse

NOT_YOURS = "Only the customer who applied can answer for application {reference}."
NOTHING_ASKED = (
    "Application {reference} is {state}: we are not waiting for information from you."
)


def customer_may_answer(
    application: Any, actor: Any, waiting_state: str, reference: str
) -> Verdict:
    """The actor is the log-in linked to the application's customer, and the
    application waits for information (`waiting_state`)."""
    user_id = application.customer.user_id
    if not getattr(actor, "is_authenticated", False) or user_id != actor.pk:
        return refuse(NOT_YOURS.format(reference=reference))
    if application.status != waiting_state:
        return refuse(
            NOTHING_ASKED.format(
                reference=reference, state=application.get_status_display().lower()
            )
        )
    return ALLOWED
