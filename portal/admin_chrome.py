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

The same goes for the script settings every admin page carries
(`wagtail_config`): its translated strings and the list of locales (a query)
are the same for every page in a language, so they are kept per language
for as long, and only the CSRF token, the page's locale and the user's
keyboard-shortcut preference are put in for each page. Static file
addresses (`versioned_static`, fifteen a page) are fixed for the life of
the process once the files are collected, so each is worked out once.
"""

from __future__ import annotations

import functools
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


# language -> (made at, the config without what is per page)
_configs: dict[str, tuple[float, dict[str, Any]]] = {}
# What wagtail_config puts in for each page (the rest is per language).
PER_PAGE = ("CSRF_TOKEN", "ACTIVE_CONTENT_LOCALE", "KEYBOARD_SHORTCUTS_ENABLED")


def cached_wagtail_config(context: Any) -> dict[str, Any]:
    from django.conf import settings
    from django.middleware.csrf import get_token

    from wagtail.admin.templatetags.wagtailadmin_tags import wagtail_config

    seconds = settings.PORTAL_SIDEBAR_CACHE_SECONDS
    if seconds <= 0:
        return wagtail_config(context)
    now = time.monotonic()
    language = translation.get_language()
    found = _configs.get(language)
    if found is None or now - found[0] >= seconds:
        config = wagtail_config(context)
        shared = {k: v for k, v in config.items() if k not in PER_PAGE}
        _configs[language] = (now, shared)
        return config
    # As wagtail_config writes them, in its order.
    request = context["request"]
    config = {"CSRF_TOKEN": get_token(request), **found[1]}
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    profile = getattr(getattr(request, "user", None), "wagtail_userprofile", None)
    config["KEYBOARD_SHORTCUTS_ENABLED"] = (
        profile.keyboard_shortcuts if profile is not None else True
    )
    return config


@functools.lru_cache(maxsize=1024)
def cached_versioned_static(path: str) -> str:
    from wagtail.admin.staticfiles import versioned_static

    address: str = versioned_static(path)
    return address


def clear_sidebar_cache() -> None:
    _sidebars.clear()
    _configs.clear()


def install() -> None:
    """Put the cached tags in place of Wagtail's `sidebar_props`,
    `wagtail_config` and `versioned_static` (at app ready, before any
    template is compiled)."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    wagtailadmin_tags.register.simple_tag(
        cached_sidebar_props, takes_context=True, name="sidebar_props"
    )
    wagtailadmin_tags.register.simple_tag(
        cached_wagtail_config, takes_context=True, name="wagtail_config"
    )
    wagtailadmin_tags.register.simple_tag(
        cached_versioned_static, name="versioned_static"
    )
