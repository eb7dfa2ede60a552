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


def _kept(
    store: dict[Any, tuple[float, SafeString]],
    key: Any,
    seconds: float,
    make: Any,
    limit: int = MAX_ENTRIES,
) -> SafeString:
    """`make()`'s HTML, kept in `store` under `key` for `seconds`; a full
    store is emptied rather than left to grow."""
    now = time.monotonic()
    found = store.get(key)
    if found is not None and now - found[0] < seconds:
        return found[1]
    html = make()
    if len(store) >= limit:
        store.clear()
    store[key] = (now, html)
    return html


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
    return _kept(_sidebars, key, seconds, lambda: sidebar_props(context))


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


# key -> (made at, html): a list's filter menu, drawn for its filter values.
_filter_menus: dict[tuple[Any, ...], tuple[float, SafeString]] = {}
MAX_FILTER_MENUS = 200
FILTERS_TEMPLATE = "wagtailadmin/shared/headers/_filters.html"


def _filter_menu_key(filters: Any) -> tuple[Any, ...]:
    form = filters.form
    data = filters.data
    values: tuple[Any, ...] = ()
    if data is not None:
        # Every value in the address, so a field drawn from several inputs
        # (a date range) is keyed too; only the page number is left out.
        skip = "" if "p" in form.fields else "p"
        values = tuple(sorted((k, tuple(v)) for k, v in data.lists() if k != skip))
    request = getattr(filters, "request", None)
    return (
        # Wagtail makes a list's filter class afresh for each page (from the
        # viewset's list_filter), so the list is known by its address.
        getattr(request, "path", None),
        type(filters).__module__,
        type(filters).__qualname__,
        form.prefix,
        tuple(form.fields),
        values,
        translation.get_language(),
    )


def _wagtails_filter_menu(engine: Any) -> Any:
    """Wagtail's own `_filters.html`, behind ours of the same name."""
    ours = engine.get_template(FILTERS_TEMPLATE)
    skip = [ours.origin]
    while True:
        # Our file is found twice: from the project's folder and as the
        # portal app's own.
        template, origin = engine.find_template(FILTERS_TEMPLATE, skip=skip)
        if origin.name != ours.origin.name:
            return template
        skip.append(origin)


def cached_filter_menu(context: Any) -> SafeString:
    """Wagtail's filter menu for a list (`_filters.html`), kept for a
    minute per list and filter values: drawing its radio buttons and option
    lists (two queries on the loan list) was a sixth of a list page. Only a
    list that says so (`filters.portal_menu_kept`, set by the back office's
    own lists) is kept; a new product or officer shows in the menu within
    the minute, and filtering itself always reads the database."""
    from django.conf import settings

    def draw() -> SafeString:
        template = _wagtails_filter_menu(context.template.engine)
        return SafeString(template.render(context))

    filters = context.get("filters")
    seconds = settings.PORTAL_SIDEBAR_CACHE_SECONDS
    if not getattr(filters, "portal_menu_kept", False) or seconds <= 0:
        return draw()
    key = _filter_menu_key(filters)
    return _kept(_filter_menus, key, seconds, draw, limit=MAX_FILTER_MENUS)


# key -> html: the keyboard shortcuts dialog, the same on every page for
# the same language, platform and preference.
_shortcut_dialogs: dict[tuple[Any, ...], SafeString] = {}
SHORTCUTS_TEMPLATE = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"


def cached_keyboard_shortcuts_dialog(context: Any) -> SafeString:
    import re

    from django.conf import settings
    from django.template.loader import get_template

    from wagtail.admin.templatetags.wagtailadmin_tags import (
        get_comments_enabled,
        keyboard_shortcuts_dialog,
    )

    def draw() -> SafeString:
        # The tag's own function gives the template's context.
        context_data = keyboard_shortcuts_dialog(context)
        return SafeString(get_template(SHORTCUTS_TEMPLATE).render(context_data))

    if settings.PORTAL_SIDEBAR_CACHE_SECONDS <= 0:
        return draw()
    request = context.get("request")
    profile = getattr(getattr(request, "user", None), "wagtail_userprofile", None)
    agent = request.headers.get("User-Agent", "") if request else ""
    # What the dialog's words depend on (wagtailadmin_tags and
    # wagtail.admin.utils.get_keyboard_key_labels_from_request).
    key = (
        translation.get_language(),
        request is None,
        bool(getattr(profile, "keyboard_shortcuts", True)) if profile else True,
        bool(re.search(r"Mac|iPod|iPhone|iPad", agent)),
        get_comments_enabled(),
    )
    html = _shortcut_dialogs.get(key)
    if html is None:
        html = draw()
        if len(_shortcut_dialogs) >= MAX_ENTRIES:
            _shortcut_dialogs.clear()
        _shortcut_dialogs[key] = html
    return html


def clear_sidebar_cache() -> None:
    _sidebars.clear()
    _configs.clear()
    _filter_menus.clear()
    _shortcut_dialogs.clear()


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
    wagtailadmin_tags.register.simple_tag(
        cached_keyboard_shortcuts_dialog,
        takes_context=True,
        name="keyboard_shortcuts_dialog",
    )
