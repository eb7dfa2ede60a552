"""Bearer-token authentication and permission checks for the JSON API.

Tokens are Wagtail's `APIToken` (only a keyed digest is stored). Service
accounts get one with `manage.py create_api_token USERNAME` and send it as
`Authorization: Bearer TOKEN`. A missing or unknown token is 401; a known
token whose user lacks the endpoint's permission is 403.

Wrong tokens are counted per client address with allauth's rate limiter (the
one that limits failed log-ins), at PORTAL_API_RATE_LIMITS["api_token_failed"]:
past it, every token from that address, even a right one, is refused with 429
and a Retry-After until the window has passed. Each wrong token and each
refusal writes a line to the `portal.security` log.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from wagtail.api.v3.auth import BearerTokenAuth

# allauth's public wrapper (allauth.core.ratelimit) reads only
# ACCOUNT_RATE_LIMITS and never limits GET requests; the module under it takes
# our own action and rates and can count GETs, which most API calls are.
from allauth.core.internal import ratelimit
from ninja.errors import AuthorizationError, Throttled

from portal.auth.securitylog import security_event

NOT_PERMITTED = "Your account does not have permission to {what}."
TOKEN_FAILURES = "api_token_failed"
RATE_LIMIT_APP = "portal.api"
TOO_MANY_FAILURES = "Too many wrong API tokens from this address; try again in {wait}."


class TokenFailuresThrottled(Throttled):
    def __init__(self, wait: int) -> None:
        super().__init__(wait=wait)
        minutes = max(1, math.ceil(wait / 60))
        self.message = TOO_MANY_FAILURES.format(
            wait=f"{minutes} minute" + ("" if minutes == 1 else "s")
        )


def _count_failure(request: Any) -> None:
    """Record one wrong token from this address (under allauth's lock)."""
    ratelimit.consume(
        request,
        app=RATE_LIMIT_APP,
        action=TOKEN_FAILURES,
        config=settings.PORTAL_API_RATE_LIMITS,
        limit_get=True,
    )


def _failures_allowed(request: Any) -> bool:
    """Whether this address is still under its limit of wrong tokens: one
    plain read of the limiter's counters (`cache.get_many`). allauth's dry
    run would take its cache lock (an add and a delete) per rate on every
    API call, and every client behind one address would queue on that lock;
    a check needs no lock (counting a failure, `_count_failure`, keeps it)."""
    rates = ratelimit.get_rates(
        app=RATE_LIMIT_APP,
        action=TOKEN_FAILURES,
        config=settings.PORTAL_API_RATE_LIMITS,
    )
    keys = [
        ratelimit.get_cache_key(
            request, app=RATE_LIMIT_APP, action=TOKEN_FAILURES, rate=rate
        )
        for rate in rates
    ]
    stored = cache.get_many(keys) if keys else {}
    now = time.time()
    return all(
        ratelimit.apply_rate(list(stored.get(key, [])), now, rate, dry_run=True)[0]
        for rate, key in zip(rates, keys, strict=True)
    )


def _seconds_until_allowed(request: Any) -> int:
    """When the oldest counted failure leaves the window of a full limit."""
    waits = []
    now = time.time()
    for rate in ratelimit.get_rates(
        app=RATE_LIMIT_APP,
        action=TOKEN_FAILURES,
        config=settings.PORTAL_API_RATE_LIMITS,
    ):
        key = ratelimit.get_cache_key(
            request, app=RATE_LIMIT_APP, action=TOKEN_FAILURES, rate=rate
        )
        history = cache.get(key, [])
        if len(history) >= rate.amount:
            waits.append(min(history) + rate.duration - now)
        else:
            waits.append(0)
    wait = max(waits, default=0)
    return max(1, math.ceil(wait))


class BearerToken(BearerTokenAuth):
    """Wagtail's token check; it sets request.user, which the audit context
    (portal.audit.AuditMiddleware) reads when history rows are written. Wrong
    tokens are throttled per client address (see the module's docstring)."""

    def authenticate(self, request: Any, token: str) -> Any:
        if not _failures_allowed(request):
            wait = _seconds_until_allowed(request)
            security_event(
                "api_token_throttled", request=request, username="-", path=request.path
            )
            raise TokenFailuresThrottled(wait=wait)
        api_token = super().authenticate(request, token)
        if api_token is None:
            _count_failure(request)
            security_event(
                "api_token_failed", request=request, username="-", path=request.path
            )
        return api_token


def require_permission(request: Any, permission: str, what: str) -> None:
    if not request.user.has_perm(permission):
        raise AuthorizationError(message=NOT_PERMITTED.format(what=what))
