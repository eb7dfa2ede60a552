"""A small public site for the frame and cache tests: a home page with one
program page and an FAQ, served as the default site."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from portal.models import FAQPage, HomePage, ProgramPage


def make_public_site() -> dict[str, Any]:
    root = Page.get_first_root_node()
    if root is None:
        # A transactional (browser) test starts from an emptied database,
        # without the locale, tree root and default site the migrations made.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(
        instance=HomePage(
            title="Riverton home", slug="riverton", intro="<p>Welcome.</p>"
        )
    )
    if not Site.objects.update(root_page=home, hostname="testserver", port=80):
        Site.objects.create(
            root_page=home, hostname="testserver", port=80, is_default_site=True
        )
    program = home.add_child(
        instance=ProgramPage(
            title="Heat pump rebates",
            slug="heat-pumps",
            summary="Up to $1,500.00 back on a heat pump.",
            body="<p>Cold-climate heat pumps qualify.</p>",
        )
    )
    faq = home.add_child(instance=FAQPage(title="Questions", slug="faq"))
    return {"home": home, "program": program, "faq": faq}


def publish_new_summary(page: ProgramPage, summary: str) -> None:
    """What an editor does: change a field, save a revision, publish it."""
    page = ProgramPage.objects.get(pk=page.pk)
    page.summary = summary
    page.save_revision().publish()
