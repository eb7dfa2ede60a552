"""Bearer-token authentication and permission checks for the JSON API.

Tokens are Wagtail's `APIToken` (only a keyed digest is stored). Service
accounts get one with `manage.py create_api_token USERNAME` and send it as
`Authorization: Bearer TOKEN`. A missing or unknown token is 401; a known
token whose user lacks the endpoint's permission is 403.
"""

from __future__ import annotations

from typing import Any

from wagtail.api.v3.auth import BearerTokenAuth

from ninja.errors import AuthorizationError

NOT_PERMITTED = "Your account does not have permission to {what}."


class BearerToken(BearerTokenAuth):
    """Wagtail's token check; it sets request.user, which the audit context
    (portal.audit.AuditMiddleware) reads when history rows are written."""


def require_permission(request: Any, permission: str, what: str) -> None:
    if not request.user.has_perm(permission):
        raise AuthorizationError(message=NOT_PERMITTED.format(what=what))
