"""One line per security event on the `portal.security` logger:
`<event> user=<username> ip=<address>[ key=value ...]`.

Never a password or a token. Values typed by the client (an attempted
username) are cut to 150 characters and anything but visible characters
becomes "?", so a line can't be forged or split.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from allauth.account.adapter import get_adapter

logger = logging.getLogger("portal.security")


def _clean(value: Any) -> str:
    text = str(value) if value not in (None, "") else "-"
    return "".join(c if c.isprintable() and not c.isspace() else "?" for c in text)[
        :150
    ]


def client_ip(request: Any) -> str:
    """The address allauth's rate limits count (behind ALLAUTH_TRUSTED_PROXY_COUNT
    proxies), or "-" when there is none (e.g. a test client's force_login)."""
    if request is None:
        return "-"
    try:
        return str(get_adapter(request).get_client_ip(request))
    except (PermissionDenied, ImproperlyConfigured, ValueError):
        return "-"


def username_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    return str(user.get_username())


def security_event(event: str, *, request: Any, username: str, **details: Any) -> None:
    parts = [event, f"user={_clean(username)}", f"ip={_clean(client_ip(request))}"]
    parts += [f"{key}={_clean(value)}" for key, value in details.items()]
    logger.info(" ".join(parts))
