"""The security log's receivers: Django's log-in signals (sent for allauth's
log-in and Wagtail's log-out alike) and allauth's MFA signals. Lockouts and API
token failures are logged where they are decided (adapters.py, api_auth.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from allauth.mfa import signals as mfa_signals

from portal.auth.middleware import start_idle_window
from portal.auth.securitylog import security_event, username_of


@receiver(user_logged_in, dispatch_uid="portal.security.login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event("login", request=request, username=username_of(user))


@receiver(user_logged_in, dispatch_uid="portal.security.idle_window")
def _idle_window(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        start_idle_window(request, user)


@receiver(user_login_failed, dispatch_uid="portal.security.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Django has already masked the password; only the name typed is kept.
    typed = credentials.get("username") or credentials.get("email") or "-"
    security_event("login_failed", request=request, username=str(typed))


@receiver(user_logged_out, dispatch_uid="portal.security.logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event("logout", request=request, username=username_of(user))


@receiver(mfa_signals.authenticator_added, dispatch_uid="portal.security.mfa_on")
def _mfa_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    security_event(
        "mfa_activated",
        request=request,
        username=username_of(user),
        type=authenticator.type,
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="portal.security.mfa_off")
def _mfa_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    security_event(
        "mfa_deactivated",
        request=request,
        username=username_of(user),
        type=authenticator.type,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="portal.security.mfa_fail")
def _mfa_failed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    security_event(
        "mfa_failed",
        request=request,
        username=username_of(user),
        type=authenticator.type,
    )
