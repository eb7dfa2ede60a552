"""The anonymous page cache (portal/site/cache.py): a public page is built
once and then answered from the cache, with no database query; anything
personal, or carrying a form that posts, is never stored or served from it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.site.frame_pages import make_public_site, publish_new_summary

pytestmark = pytest.mark.django_db

LOCMEM_PAGES = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "test-pages",
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    # The test settings switch the page cache off (DummyCache); here it is on.
    settings.CACHES = {**settings.CACHES, "pages": LOCMEM_PAGES}
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def site(db):
    return make_public_site()


def test_the_second_anonymous_visit_is_a_hit_with_no_database_query(client, site):
    first = client.get("/heat-pumps/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/heat-pumps/")
    assert second["X-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert "Up to $1,500.00 back on a heat pump." in second.content.decode()


def test_browsers_are_told_to_ask_again_each_time(client, site):
    client.get("/heat-pumps/")
    hit = client.get("/heat-pumps/")
    assert hit["Cache-Control"] == "max-age=0"
    assert not hit.has_header("Expires")


def test_publishing_a_change_shows_the_new_text_on_the_next_visit(client, site):
    client.get("/heat-pumps/")
    assert client.get("/heat-pumps/")["X-Cache"] == "hit"

    publish_new_summary(site["program"], "Now up to $2,000.00 back.")

    after = client.get("/heat-pumps/")
    assert after["X-Cache"] == "miss"
    assert "Now up to $2,000.00 back." in after.content.decode()


def test_unpublishing_a_page_purges_it(client, site):
    client.get("/heat-pumps/")
    site["program"].unpublish()
    assert client.get("/heat-pumps/").status_code == 404


def test_deleting_a_page_purges_it(client, site):
    client.get("/faq/")
    site["faq"].delete()
    assert client.get("/faq/").status_code == 404


def test_moving_a_page_purges_the_cache(client, site):
    from portal.models import FAQPage

    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    faq = FAQPage.objects.get(pk=site["faq"].pk)
    faq.move(site["home"], pos="first-child")
    assert client.get("/")["X-Cache"] == "miss"


def test_changing_the_office_settings_purges_the_footer(client, site):
    from wagtail.models import Site

    from portal.models import OfficeSettings

    client.get("/")
    office = OfficeSettings.for_site(Site.objects.get())
    office.phone = "(518) 555-0199"
    office.save()
    after = client.get("/")
    assert after["X-Cache"] == "miss"
    assert "(518) 555-0199" in after.content.decode()


def test_search_results_are_cached_by_their_full_address(client, site):
    assert client.get("/search/", {"q": "heat"})["X-Cache"] == "miss"
    assert client.get("/search/", {"q": "heat"})["X-Cache"] == "hit"
    # Another query is another page.
    assert client.get("/search/", {"q": "water"})["X-Cache"] == "miss"


def test_a_logged_in_visit_neither_reads_nor_writes_the_cache(
    client, site, customer_carol
):
    client.get("/heat-pumps/")  # stored for anonymous visitors
    client.force_login(customer_carol)
    for _ in range(2):
        response = client.get("/heat-pumps/")
        assert "X-Cache" not in response
        assert "Log out" in response.content.decode()
    client.logout()
    client.cookies.clear()
    # Carol's pages were never stored: the anonymous copy is still the one.
    anonymous = client.get("/heat-pumps/")
    assert anonymous["X-Cache"] == "hit"
    assert "Log out" not in anonymous.content.decode()


def test_a_request_carrying_a_session_cookie_bypasses_the_cache(client, site):
    client.get("/heat-pumps/")
    client.cookies["sessionid"] = "not-a-real-session"
    response = client.get("/heat-pumps/")
    assert "X-Cache" not in response


def test_a_request_carrying_only_the_csrf_cookie_may_use_the_cache(client, site):
    client.cookies["csrftoken"] = "x" * 32
    assert client.get("/heat-pumps/")["X-Cache"] == "miss"
    assert client.get("/heat-pumps/")["X-Cache"] == "hit"


def test_a_page_with_a_form_that_posts_is_never_stored(client, site):
    # The lenders' subordination request: a form with a CSRF token.
    for _ in range(2):
        response = client.get("/lenders/subordination-request/")
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Cache" not in response


def test_the_log_in_page_is_never_cached(client, site):
    for _ in range(2):
        response = client.get("/account/login/")
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_a_not_found_answer_is_not_stored(client, site):
    client.get("/no-such-page/")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "X-Cache" not in response


def test_a_post_is_never_answered_from_the_cache(client, site):
    client.get("/search/")
    response = client.post("/search/")
    assert "X-Cache" not in response


def test_changing_a_program_purges_the_cache(client, site):
    from tests.factories.programs import ProgramFactory

    client.get("/heat-pumps/")
    assert client.get("/heat-pumps/")["X-Cache"] == "hit"
    ProgramFactory()
    assert client.get("/heat-pumps/")["X-Cache"] == "miss"
