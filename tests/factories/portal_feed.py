"""The billing system's integration user and feed bodies for the account
feed tests."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.models import Permission

from tests.factories.portal import UserFactory


def cis_user(username: str = "cis") -> Any:
    """The CIS integration's API user: holds portal.sync_accounts and
    portal.view_utilityaccount, nothing else."""
    user = UserFactory(username=username)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="portal", codename="sync_accounts"
        ),
        Permission.objects.get(
            content_type__app_label="portal", codename="view_utilityaccount"
        ),
    )
    return user


ACCOUNT_BODY: dict[str, Any] = {
    "customer": {"name": "Maria Lopez", "email": "maria.lopez@example.org"},
    "service_address": {
        "line1": "12 Elm St",
        "city": "Riverton",
        "state": "NY",
        "zip": "12180",
    },
    "customer_class": "residential",
    "services": ["electric", "water"],
    "status": "active",
    "delinquent_balance": "0.00",
    "bad_debt": False,
}


def account_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(ACCOUNT_BODY)
    body.update(changes)
    return body
