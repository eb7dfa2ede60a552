"""Public-site and customer self-service views, and the back office's core
action views (thin: they call selectors and services)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wagtail.models import Page

from portal.roles import AUDITED_APPS
from portal.selectors import record_history_in_words


def site_search(request: Any) -> Any:
    query = request.GET.get("q", "").strip()[:200]
    results = (
        Page.objects.live().public().search(query) if query else Page.objects.none()
    )
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "portal/search.html", {"query": query, "results": page})


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
            "rows": record_history_in_words(instance),
            "page_title": f"History of {instance}",
            "header_icon": "history",
        },
    )


@require_POST
def approval_limit_change_action(request: Any, pk: int, action: str) -> Any:
    """Approve or reject a proposed limit change (second person)."""
    from portal.models import ApprovalLimitChange
    from portal.services import (
        approval_limit_change_approve,
        approval_limit_change_reject,
    )

    change = get_object_or_404(ApprovalLimitChange, pk=pk)
    services = {
        "approve": approval_limit_change_approve,
        "reject": approval_limit_change_reject,
    }
    if action not in services:
        raise Http404
    try:
        services[action](
            actor=request.user, change=change, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        verb = (
            "approved; the new limit is in force" if action == "approve" else "rejected"
        )
        messages.success(request, f"Limit change {verb}.")
    return redirect("approval_limit_changes:inspect", change.pk)
