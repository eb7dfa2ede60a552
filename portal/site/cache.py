"""The anonymous page cache, and no-store for everything personal.

Public pages (Wagtail pages, search results, calculator answers) look the
same for every visitor who is not logged in, so they are kept in the "pages"
cache (settings.CACHES) by Django's own cache middleware, keyed by the full
URL and the request headers the page varies on. Our two subclasses only
narrow what Django already does:

- `PageCacheFetchMiddleware` (after WhiteNoise, before the session) answers a
  hit without touching the session, the database or the view. It is skipped
  for anything but GET/HEAD, for the private parts of the site
  (`PRIVATE_PREFIXES`), for a request carrying a session or any cookie other
  than the CSRF cookie, and for a request with an Authorization header.
- `PageCacheUpdateMiddleware` (near the top, so it sees the finished answer)
  stores an answer only when that same request was eligible and the answer
  is a plain 200 that sets no cookie, is not private/no-store/no-cache, holds
  no CSRF token (a form that posts) and showed no one-time message.

Browsers are told `max-age=0`: they ask again each time (the server answers
from its cache), so a visitor who has just logged in never sees a stale
"Log in" link, and a publish shows at once.

`NoStoreMiddleware` marks every answer under /account/ and /admin/ and every
answer to a logged-in person `Cache-Control: no-store, private` (Django's
never_cache headers), so no browser or proxy keeps a copy of anyone's data.

Publishing, unpublishing, moving or deleting a page, and changing what the
frame or a program page shows (office settings, programs, loan products),
empties the whole "pages" cache (`purge_page_cache`): simple and always right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import add_never_cache_headers

from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

PAGE_CACHE_ALIAS = "pages"

# Never cached, whoever asks: the customer area, the back office, the API,
# Wagtail's document and password views. (Other pages with a form that posts
# are refused by their CSRF token.)
PRIVATE_PREFIXES = ("/account/", "/admin/", "/api/", "/documents/", "/_util/")
# (The API marks its own answers no-store: portal/api_errors.py.)
NO_STORE_PREFIXES = ("/account/", "/admin/")
CACHE_HEADER = "X-Cache"

# Models outside the page tree whose data the cached pages show: the footer
# (office settings), program and loan product pages (their rules and terms).
PURGE_ON_CHANGE = (
    "portal.OfficeSettings",
    "programs.Program",
    "programs.Measure",
    "loans.LoanProduct",
)


def page_cache_applies(request: HttpRequest) -> bool:
    """May this request be answered from, or stored into, the page cache?"""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(PRIVATE_PREFIXES):
        return False
    if "Authorization" in request.headers:
        return False
    # A session (logged in, a message, a Wagtail page password) or any cookie
    # we don't know could change the page; only the CSRF cookie is harmless.
    return all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def response_may_be_stored(request: HttpRequest, response: HttpResponse) -> bool:
    """Is this answer the same for every anonymous visitor?"""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:  # e.g. the CSRF cookie for a form that posts
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # The page used the CSRF token (a form that posts), even if the cookie
    # was already there.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if b"csrfmiddlewaretoken" in response.content:
        return False
    # A one-time message was shown on this page.
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "used", False):
        return False
    user = getattr(request, "user", None)
    return not getattr(user, "is_authenticated", False)


def _for_browsers(response: HttpResponse) -> None:
    """The cache is the server's: browsers and proxies ask again each time."""
    response["Cache-Control"] = "max-age=0"
    if "Expires" in response:
        del response["Expires"]


class PageCacheUpdateMiddleware(UpdateCacheMiddleware):
    """Django's UpdateCacheMiddleware on the "pages" cache, storing only
    answers that `response_may_be_stored`."""

    def __init__(self, get_response: Callable[..., Any]) -> None:
        super().__init__(get_response)
        self.cache_alias = PAGE_CACHE_ALIAS
        # Fixed: a view's own max-age must not stretch or shorten our copy.
        self.page_timeout = self.cache_timeout

    def process_response(self, request: Any, response: Any) -> Any:
        if not (
            getattr(request, "_cache_update_cache", False)  # set by the fetch half
            and page_cache_applies(request)
            and response_may_be_stored(request, response)
        ):
            return response
        response[CACHE_HEADER] = "miss"
        response = super().process_response(request, response)
        _for_browsers(response)
        return response


class PageCacheFetchMiddleware(FetchFromCacheMiddleware):
    """Django's FetchFromCacheMiddleware on the "pages" cache, for eligible
    requests only; a hit is marked `X-Cache: hit`."""

    def __init__(self, get_response: Callable[..., Any]) -> None:
        super().__init__(get_response)
        self.cache_alias = PAGE_CACHE_ALIAS

    def process_request(self, request: Any) -> Any:
        if not page_cache_applies(request):
            request._cache_update_cache = False
            return None
        response = super().process_request(request)
        if response is not None:
            response[CACHE_HEADER] = "hit"
            _for_browsers(response)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` (and Django's other never_cache
    headers) on the customer area, the back office and every answer to a
    logged-in person. Placed after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES) or _logged_in(request):
            cache_control = response.get("Cache-Control", "")
            # A view that already said "private, no-store" (a customer's
            # document) keeps its own words.
            if not ("no-store" in cache_control and "private" in cache_control):
                add_never_cache_headers(response)
        return response


def _logged_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is logged in (a log-in in this very
    # request happens under /account/); don't load a session to find out.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))


def purge_page_cache(**_: Any) -> None:
    """Empty the whole page cache (every site, every URL)."""
    caches[PAGE_CACHE_ALIAS].clear()


def _purge_on_page_delete(sender: Any, instance: Any, **_: Any) -> None:
    if isinstance(instance, Page | Site):
        purge_page_cache()


def connect_purge_signals() -> None:
    """Called once from PortalConfig.ready, so publishing from the admin, a
    management command (publish_scheduled) or a script all purge."""
    uid = "portal.site.cache.purge"
    page_published.connect(purge_page_cache, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(purge_page_cache, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid=f"{uid}.moved")
    post_delete.connect(_purge_on_page_delete, dispatch_uid=f"{uid}.deleted")
    post_save.connect(purge_page_cache, sender=Site, dispatch_uid=f"{uid}.site")
    for label in PURGE_ON_CHANGE:
        post_save.connect(
            purge_page_cache, sender=label, dispatch_uid=f"{uid}.save.{label}"
        )
        post_delete.connect(
            purge_page_cache, sender=label, dispatch_uid=f"{uid}.delete.{label}"
        )
