"""My account (the customer area's home) and linking a utility account.

Both pages are for any log-in (a new customer has no customer record yet, so
they can't use `customer_page`), never cached. Linking is throttled with
allauth's rate limiter at PORTAL_LINK_RATE_LIMITS: failed attempts count per
log-in and per address; past the limit the details are not checked at all,
so even the right ones are refused until the window has passed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

# allauth's public wrapper reads only ACCOUNT_RATE_LIMITS; the module under it
# takes our own action and rates (as portal/api_auth.py does).
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit

from portal.auth.securitylog import security_event, username_of
from portal.choices import Service
from portal.customer.access import customer_of
from portal.customer.forms_accounts import LinkAccountForm
from portal.customer.services import (
    can_link,
    customer_link_account,
    has_verified_primary_email,
)

LINK_FAILURES = "link_account_failed"
RATE_LIMIT_APP = "portal.customer"
TOO_MANY_ATTEMPTS = "Too many attempts. Try again in 15 minutes."


def _count_link_failure(request: HttpRequest, *, dry_run: bool) -> bool:
    """Record one failed attempt (or, with dry_run, only ask whether one more
    is allowed). False once the log-in or the address is over its limit."""
    return bool(
        ratelimit.consume(
            request,
            app=RATE_LIMIT_APP,
            action=LINK_FAILURES,
            config=settings.PORTAL_LINK_RATE_LIMITS,
            dry_run=dry_run,
        )
    )


def service_labels(account: Any) -> list[str]:
    """The account's services in the usual order, as words."""
    return [label for value, label in Service.choices if value in account.services]


@never_cache
@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    customer = customer_of(request.user)
    accounts = (
        [
            {"account": account, "services": service_labels(account)}
            for account in customer.accounts.order_by("number")
        ]
        if customer
        else []
    )
    return render(
        request,
        "portal/account_home.html",
        {
            "customer": customer,
            "accounts": accounts,
            "can_link": can_link(request.user),
        },
    )


@never_cache
@login_required
def link_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"customer": customer_of(user)}
    if not can_link(user):
        return render(request, "customer/link_account.html", {**context, "staff": True})
    if not has_verified_primary_email(user):
        # A new sign-up confirms the address before anything else: the page
        # explains and offers to send the link again (allauth's e-mail page).
        address = (
            EmailAddress.objects.filter(user=user).order_by("-primary", "pk").first()
        )
        return render(
            request,
            "customer/link_account.html",
            {**context, "unverified": True, "address": address},
        )

    form = LinkAccountForm(request.POST or None)
    if request.method == "POST":
        if not _count_link_failure(request, dry_run=True):
            # Throttled: the details are not looked at, not even their format.
            security_event(
                "account_link_throttled", request=request, username=username_of(user)
            )
            context["throttled"] = TOO_MANY_ATTEMPTS
            form = LinkAccountForm()
        elif form.is_valid():
            number = form.cleaned_data["number"]
            try:
                result = customer_link_account(
                    actor=user,
                    number=number,
                    postal_code=form.cleaned_data["postal_code"],
                    last_name=form.cleaned_data["last_name"],
                )
            except ValidationError as error:
                _count_link_failure(request, dry_run=False)
                security_event(
                    "account_link_failed",
                    request=request,
                    username=username_of(user),
                    account=number,
                )
                form.add_error(None, error)
            else:
                security_event(
                    "account_linked",
                    request=request,
                    username=username_of(user),
                    account=result.account.number,
                    customer=result.customer.pk,
                )
                messages.success(
                    request,
                    f"Account {result.account.number} is already linked to your log-in."
                    if result.already_linked
                    else f"Account {result.account.number} is now linked to your "
                    "log-in.",
                )
                return redirect("portal:account")
    return render(request, "customer/link_account.html", {**context, "form": form})
