"""The public site's frame (base.html): where the main navigation points.

    {% load portal_site %}
    {% site_nav as nav %}  nav.programs, nav.faq, nav.news, nav.contact,
                           nav.signup_open

Each section is the first live, public page of its kind under the site, found
by its page type's name, so the navigation follows what editors publish and a
section that has no page yet is simply left out. One query per request; the
anonymous page cache (portal/site/cache.py) keeps even that off cached pages.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from wagtail.models import Page, Site

register = template.Library()

# Navigation entry -> the page type (model name in the portal app) it opens.
SECTIONS = {
    "faq": "faqpage",
    "news": "articleindexpage",
    "contact": "contactpage",
}


@register.simple_tag(takes_context=True)
def site_nav(context: Any) -> dict[str, Any]:
    request = context.get("request")
    nav: dict[str, Any] = {
        "home": "/",
        "programs": "/#programs",
        "signup_open": bool(getattr(settings, "PORTAL_SIGNUP_OPEN", False)),
    }
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return nav
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .filter(
            content_type__app_label="portal",
            content_type__model__in=SECTIONS.values(),
        )
        .order_by("path")
        .values_list("content_type__model", "url_path")
    )
    root_path = site.root_page.url_path
    found: dict[str, str] = {}
    for model, url_path in pages:
        found.setdefault(model, "/" + url_path[len(root_path) :])
    for name, model in SECTIONS.items():
        if model in found:
            nav[name] = found[model]
    return nav
