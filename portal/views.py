"""Public-site and customer self-service views (thin: they call selectors)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from wagtail.models import Page

from portal.roles import AUDITED_APPS
from portal.selectors import record_history


def site_search(request: Any) -> Any:
    query = request.GET.get("q", "").strip()[:200]
    results = (
        Page.objects.live().public().search(query) if query else Page.objects.none()
    )
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "portal/search.html", {"query": query, "results": page})


@never_cache
@login_required
def account_home(request: Any) -> Any:
    customer = getattr(request.user, "customer", None)
    accounts = customer.accounts.all() if customer else []
    return render(
        request,
        "portal/account_home.html",
        {"customer": customer, "accounts": accounts},
    )


@never_cache
def audit_history(request: Any, app_label: str, model_name: str, pk: str) -> Any:
    """Back office: the full simple_history trail of one record."""
    if app_label not in AUDITED_APPS:
        raise Http404("No such record type.")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404("No such record type.") from None
    if not hasattr(model, "history"):
        raise Http404("This record type has no history.")
    if not request.user.has_perm(f"{app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    instance = get_object_or_404(model, pk=pk)
    return render(
        request,
        "portal/admin/audit_history.html",
        {
            "instance": instance,
            "opts": model._meta,
            "rows": record_history(instance),
            "page_title": f"History of {instance}",
        },
    )
