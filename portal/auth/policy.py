"""Who the log-in rules apply to."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from portal import roles

BACK_OFFICE_PERMISSION = "wagtailadmin.access_admin"

# The roles that approve or move money (portal/roles.py).
MFA_ROLES = (roles.SUPERVISOR, roles.CASHIER, roles.PROGRAM_STAFF)


def is_back_office_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(BACK_OFFICE_PERMISSION))


def must_use_mfa(user: Any) -> bool:
    """Whether this user must have an authenticator app before using the back
    office: only when PORTAL_STAFF_MFA_REQUIRED is on, for the money roles and
    superusers (who can do everything they can)."""
    if not settings.PORTAL_STAFF_MFA_REQUIRED or not user.is_authenticated:
        return False
    from portal.panels import user_roles

    # The user's role names, read once per request and shared with the
    # dashboard's panels.
    return bool(user.is_superuser or user_roles(user) & set(MFA_ROLES))


def has_totp(user: Any) -> bool:
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))
