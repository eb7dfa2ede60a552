"""Plain helpers for the account tests: a new customer's log-in with a
confirmed address, and posting the link form."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.models import EmailAddress

from tests.factories import UserFactory

LINK_URL = "/account/link/"
NO_MATCH = (
    "We could not match those details to a utility account. Check the account "
    "number on your bill, the service ZIP code and the last name on the "
    "account, or call us."
)
TOO_MANY = "Too many attempts. Try again in 15 minutes."


def new_customer_login(username: str = "newcomer", *, verified: bool = True) -> Any:
    """A log-in as a sign-up leaves it: no customer record, one primary
    address (confirmed or not)."""
    user = UserFactory(username=username)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=verified
    )
    return user


def post_link(client: Any, number: str, postal_code: str, last_name: str) -> Any:
    return client.post(
        LINK_URL,
        {"number": number, "postal_code": postal_code, "last_name": last_name},
    )


def refusal_block(response: Any) -> str:
    """The form's refusal as the page shows it (the alert above the fields)."""
    match = re.search(
        r'<div class="notice error" role="alert">.*?</div>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page shows no refusal"
    return match.group(0)
