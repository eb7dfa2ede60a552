"""Two middlewares for back-office users; both sit after authentication."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from portal.auth.policy import has_totp, is_back_office_user, must_use_mfa

REFRESHED_AT = "portal_idle_refreshed_at"
REFRESH_EVERY = 60  # seconds: the idle window is exact to within a minute

MFA_SETUP_NEEDED = (
    "Your role approves or moves money, so the back office needs two-factor "
    "authentication: set up an authenticator app to continue."
)


class StaffSessionIdleMiddleware:
    """Back-office sessions end after PORTAL_STAFF_IDLE_TIMEOUT seconds without
    a request (sliding); customers keep SESSION_COOKIE_AGE. Applied on the way
    out, so the request that logs someone in already gets the short expiry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions that carry a log-in: an API call authenticated by its
        # bearer token gets no session.
        if session is not None and session.get(SESSION_KEY) is not None:
            if is_back_office_user(request.user):
                # Slide the window at most once a minute: a page and the
                # dozen scripts it loads must not each rewrite the session
                # row (concurrent writes to one row, for nothing).
                now = int(time.time())
                last = session.get(REFRESHED_AT)
                timeout = settings.PORTAL_STAFF_IDLE_TIMEOUT
                if (
                    not isinstance(last, int)
                    or now - last >= REFRESH_EVERY
                    # Something else set the expiry (allauth's "remember me"
                    # at log-in): the back office's idle timeout wins.
                    or session.get("_session_expiry") != timeout
                ):
                    session[REFRESHED_AT] = now
                    session.set_expiry(timeout)
        return response


def start_idle_window(request: HttpRequest, user: object) -> None:
    """At log-in (user_logged_in): a back-office session starts its idle
    window, so the requests right after log-in need not rewrite it."""
    session = getattr(request, "session", None)
    if session is not None and is_back_office_user(user):
        session[REFRESHED_AT] = int(time.time())
        session.set_expiry(settings.PORTAL_STAFF_IDLE_TIMEOUT)


class StaffMFARequiredMiddleware:
    """With PORTAL_STAFF_MFA_REQUIRED, a user whose role must use two-factor
    authentication (portal.auth.policy) and has no authenticator app is sent to
    set one up before any back-office page or action. Log-out stays open. The
    API takes bearer tokens only (service accounts), never this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PORTAL_STAFF_MFA_REQUIRED and self._is_back_office(request):
            user = request.user
            if must_use_mfa(user) and not has_totp(user):
                messages.warning(request, MFA_SETUP_NEEDED)
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _is_back_office(request: HttpRequest) -> bool:
        return request.path.startswith(
            reverse("wagtailadmin_home")
        ) and request.path != reverse("wagtailadmin_logout")
