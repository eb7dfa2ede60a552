"""Template helpers for the public site's search results."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

_KINDS = {
    "programpage": "Program",
    "faqpage": "Questions and answers",
    "articlepage": "Article",
    "articleindexpage": "News and guides",
    "contactpage": "Contact",
    "homepage": "Home",
}


@register.filter
def page_kind(page: Any) -> str:
    """What a search result is, in words ("Program", "Questions and answers");
    an article says its own kind (News, How-to guide)."""
    if hasattr(page, "get_kind_display"):
        return str(page.get_kind_display())
    return _KINDS.get(page._meta.model_name, "Page")


@register.simple_tag
def faq_matches(page: Any, query: str) -> list[Any]:
    """For an FAQ page in the results, the questions the words were found in
    (at most five), so the visitor can jump straight to the answer."""
    from portal.models import FAQPage
    from portal.selectors import faq_topics

    if not isinstance(page, FAQPage) or not query:
        return []
    items = [item for items in faq_topics(page, query).values() for item in items]
    return items[:5]
