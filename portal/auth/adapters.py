"""allauth adapters: sign-up open unless PORTAL_SIGNUP_OPEN is off, failed
log-ins counted per person (not per spelling), lockouts logged, staff land in
the back office, a customer who has just confirmed an address goes on to link
a utility account, and staff who must use two-factor authentication can't
turn it off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from portal.auth.policy import is_back_office_user, must_use_mfa
from portal.auth.securitylog import security_event


def _typed_login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email", credentials.get("username", "")))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "PORTAL_SIGNUP_OPEN", True))

    def _get_login_attempts_cache_key(
        self, request: HttpRequest, **credentials: Any
    ) -> str:
        """ACCOUNT_RATE_LIMITS["login_failed"]'s per-key limit counts what was
        typed; one person reachable by username and by e-mail would get the
        limit twice. Key it on the account when exactly one matches."""
        typed = _typed_login(credentials).strip()
        if typed:
            if "email" in credentials:
                match = Q(email__iexact=typed) | Q(emailaddress__email__iexact=typed)
            else:
                match = Q(username__iexact=typed)
            found = list(
                get_user_model()
                .objects.filter(match)
                .values_list("pk", flat=True)
                .distinct()[:2]
            )
            if len(found) == 1:
                return f"user:{found[0]}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security_event(
                "login_locked_out", request=request, username=_typed_login(credentials)
            )
            raise

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if is_back_office_user(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """A new customer who confirms the address while logged in goes on to
        the next step, linking a utility account; everyone else as allauth."""
        from portal.customer.access import customer_of

        user = self.request.user
        if (
            user.is_authenticated
            and not is_back_office_user(user)
            and not user.is_staff
            and customer_of(user) is None
        ):
            return reverse("customer:link_account")
        return super().get_email_verification_redirect_url(email_address)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and must_use_mfa(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
