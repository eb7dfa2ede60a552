"""A small public site for the frame and cache tests: a home page with one
program page and an FAQ, served as the default site."""

from __future__ import annotations

from typing import Any

from wagtail.models import Page, Site

from portal.models import FAQPage, HomePage, ProgramPage


def make_public_site() -> dict[str, Any]:
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Riverton home", slug="riverton", intro="<p>Welcome.</p>"
        )
    )
    Site.objects.update(root_page=home, hostname="testserver", port=80)
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
