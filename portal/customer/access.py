"""Who sees the customer area, and how its pages are answered.

`customer_page` wraps every view under /account/ that shows a customer's
records: it requires a log-in, finds the customer record linked to it
(sending a log-in with none to "Link your utility account"), and marks the
answer `Cache-Control: no-store` (Django's never_cache), so no browser or
proxy keeps a copy of a customer's data. The view receives the customer as
`request.customer`; it must look up every object through it (see
`own_or_404`), so another customer's URL answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def customer_of(user: Any) -> Any:
    """The customer record a log-in is linked to, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from portal.models import Customer

    return Customer.objects.filter(user_id=user.pk).first()


def customer_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = customer_of(request.user)
        if customer is None:
            return redirect("customer:link_account")
        request.customer = customer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def own_or_404(queryset: QuerySet[M], customer: Any, **lookup: Any) -> M:
    """The one object of `queryset` matching `lookup` that belongs to
    `customer` (a `customer` field), or 404 - the same answer for an object
    that does not exist and one that is someone else's."""
    found = queryset.filter(customer=customer, **lookup).first()
    if found is None:
        raise Http404("No such record.")
    return found
