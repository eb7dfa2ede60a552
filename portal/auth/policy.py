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
    return bool(user.is_superuser or user.groups.filter(name__in=MFA_ROLES).exists())


def has_totp(user: Any) -> bool:
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))
