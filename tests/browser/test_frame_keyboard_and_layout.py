"""The site's frame in a real browser: keyboard-only use (skip link first,
then the navigation), a phone-width layout without sideways scrolling, and
axe-core finding no serious problem on the home page, search, the not-found
page and the log-in page. Screenshots of each at desktop and phone widths."""

from __future__ import annotations

from wagtail.models import Site

import pytest

from portal.models import OfficeSettings
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_frame import (
    focused,
    open_nav_link_by_keyboard,
    skip_to_main,
    tab_to,
)
from tests.site.frame_pages import make_public_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(db):
    pages = make_public_site()
    office = OfficeSettings.for_site(Site.objects.get())
    office.office_name = "Customer Finance Office"
    office.line1 = "100 Main St"
    office.city = "Riverton"
    office.state = "NY"
    office.postal_code = "12180"
    office.phone = "(518) 555-0142"
    office.email = "finance@riverton-utilities.example"
    office.hours = "Monday to Friday, 8:00 a.m. to 4:30 p.m."
    office.save()
    return pages


def test_keyboard_only_a_visitor_skips_to_main_then_uses_the_nav(page_for, site):
    page = page_for()
    page.goto("/")
    first = skip_to_main(page)
    assert first["text"] == "Skip to main content"
    # The skip link is visible while it has focus, with a 3px ring.
    assert first["outline"] == "solid 3px"
    assert first["top"] >= 0
    assert focused(page)["id"] == "main"

    page.goto("/")
    # Every nav link shows the same ring when reached by Tab.
    assert tab_to(page, "Programs & applying")["outline"] == "solid 3px"
    page.goto("/")
    open_nav_link_by_keyboard(page, "Questions")
    assert page.page.url.endswith("/faq/")
    current = page.page.locator('nav a[aria-current="page"]')
    assert current.inner_text() == "Questions"
    assert page.problems == [], "\n".join(page.problems)


def test_home_and_search_fit_a_phone_and_pass_axe(page_for, site):
    page = page_for()
    page.goto("/")
    assert page.page.locator("h1").inner_text() == "Riverton home"
    screenshot(page, "frame-home")
    assert_accessible(page, "home")

    # The header's search box, used by keyboard.
    page.page.get_by_label("Search the site").fill("heat")
    with page.page.expect_navigation():
        page.page.keyboard.press("Enter")
    assert "/search/?q=heat" in page.page.url
    screenshot(page, "frame-search")
    assert_accessible(page, "search")
    assert page.problems == [], "\n".join(page.problems)


def test_the_not_found_and_log_in_pages_pass_axe(page_for, site):
    page = page_for()
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.page.locator("h1").inner_text() == "We can’t find that page"
    screenshot(page, "frame-404")
    assert_accessible(page, "404")

    page.goto("/account/login/")
    screenshot(page, "frame-login")
    assert_accessible(page, "log-in")
