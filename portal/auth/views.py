"""Wagtail's log-in page, sent to the one log-in; the page for a rate limit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from portal.auth.securitylog import security_event, username_of


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """/admin/login/ takes no password: it redirects to the allauth log-in
    (rate-limited, with two-factor authentication), keeping `next`. The log-in
    view itself refuses a `next` pointing to another site."""
    next_url = (
        request.GET.get("next")
        or request.POST.get("next")
        or reverse("wagtailadmin_home")
    )
    return HttpResponseRedirect(
        f"{reverse('portal:login')}?{urlencode({'next': next_url})}"
    )


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth answers a rate limit (too many log-ins, sign-ups, resets from one
    address) with this view, named `handler429` in portal/urls.py."""
    security_event(
        "rate_limited",
        request=request,
        username=username_of(getattr(request, "user", None)),
        path=request.path,
    )
    return render(request, "429.html", status=429)
