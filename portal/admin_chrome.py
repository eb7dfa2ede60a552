"""The back office's chrome, made once per user rather than on every page.

Wagtail builds the sidebar on every admin page: every menu item asks the
permission policies whether to show itself, and the whole menu is packed to
JSON for the sidebar's script. That is the same answer for the same user a
minute later, and it cost a fifth of a list page's CPU. `cached_sidebar_props`
stands in for Wagtail's `{% sidebar_props %}` tag: the packed menu is kept in
this process for PORTAL_SIDEBAR_CACHE_SECONDS (a minute), keyed by the user, their role and
permission set and the language, so a change of role or permission shows at
once; anything else (a new menu item after a deploy) within the minute.
Which item is active is worked out by the sidebar's script from the page's
address, so nothing page-specific is in what is kept. Every view still
checks its own permission: the menu only shows links.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString

MAX_ENTRIES = 1000

# key -> (made at, html); per process, small (one entry per active user).
_sidebars: dict[tuple[Any, ...], tuple[float, SafeString]] = {}


def _key(user: Any) -> tuple[Any, ...] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        user.pk,
        user.get_username(),
        user.first_name,
        user.is_superuser,
        user.is_active,
        # Cached on the user for the request by the auth backend (the pages'
        # own permission checks read the same set).
        frozenset(user.get_all_permissions()),
        translation.get_language(),
    )


def cached_sidebar_props(context: Any) -> SafeString:
    from django.conf import settings

    from wagtail.admin.templatetags.wagtailadmin_tags import sidebar_props

    seconds = settings.PORTAL_SIDEBAR_CACHE_SECONDS
    key = _key(context["request"].user)
    if key is None or seconds <= 0:
        return sidebar_props(context)
    now = time.monotonic()
    found = _sidebars.get(key)
    if found is not None and now - found[0] < seconds:
        return found[1]
    html = sidebar_props(context)
    if len(_sidebars) >= MAX_ENTRIES:
        _sidebars.clear()
    _sidebars[key] = (now, html)
    return html


def clear_sidebar_cache() -> None:
    _sidebars.clear()


def install() -> None:
    """Put the cached tag in place of Wagtail's `sidebar_props` (at app
    ready, before any template is compiled)."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    wagtailadmin_tags.register.simple_tag(
        cached_sidebar_props, takes_context=True, name="sidebar_props"
    )
