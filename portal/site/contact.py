"""The contact form's guard against floods: at most CONTACT_LIMIT messages
per hour from one address (allauth's idea of the visitor's address, so the
trusted-proxy settings of the log-in rate limits apply here too)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from allauth.core.internal.ratelimit import get_ip

CONTACT_LIMIT = 5
CONTACT_WINDOW_SECONDS = 60 * 60
RATE_LIMITED = (
    "You have already sent 5 messages in the last hour, so this one was not "
    "sent. Please try again in an hour, or call the office."
)


def contact_allowed(request: Any) -> bool:
    """Count one message from this visitor; False once the hour's limit is used."""
    key = f"portal:contact:{get_ip(request)}"
    # add() starts the hour's window only if none is running.
    cache.add(key, 0, CONTACT_WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, CONTACT_WINDOW_SECONDS)
        sent = 1
    return sent <= CONTACT_LIMIT
