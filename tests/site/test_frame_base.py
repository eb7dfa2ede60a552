"""The site's frame (base.html): what every public and customer page has."""

from __future__ import annotations

import re

from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory

from wagtail.models import Site

import pytest

from portal.models import OfficeSettings
from tests.site.frame_pages import make_public_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return make_public_site()


def test_the_skip_link_is_the_first_link_and_points_at_main(client, site):
    body = client.get("/").content.decode()
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main"' in first_link and "skip-link" in first_link
    assert '<main id="main"' in body


def test_the_stylesheet_is_linked_and_no_inline_style_or_script(client, site):
    body = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/portal/site.css">' in body
    assert "<style" not in body
    assert "<script" not in body


def test_the_title_names_the_page_and_the_utility(client, site):
    body = client.get("/heat-pumps/").content.decode()
    assert "<title>Heat pump rebates · Riverton Municipal Utilities</title>" in body


def test_the_header_search_has_a_visible_label(client, site):
    body = client.get("/").content.decode()
    assert 'action="/search/"' in body
    assert '<label for="site-search-q">Search the site</label>' in body
    assert 'id="site-search-q" type="search" name="q"' in body


def test_the_main_nav_links_the_published_faq_and_marks_the_current_page(client, site):
    body = client.get("/faq/").content.decode()
    nav = body[body.index('<nav class="site-nav"') : body.index("</nav>")]
    assert '<a href="/faq/" aria-current="page">Questions</a>' in nav
    assert '<a href="/#programs">Programs &amp; applying</a>' in nav
    assert '<a href="/account/login/">Log in</a>' in nav


def test_an_unpublished_faq_is_left_out_of_the_nav(client, site):
    site["faq"].unpublish()
    body = client.get("/").content.decode()
    assert ">Questions</a>" not in body


def test_a_logged_in_person_gets_my_account_and_a_log_out_button(
    client, site, customer_carol
):
    client.force_login(customer_carol)
    body = client.get("/").content.decode()
    assert '<a href="/account/">My account</a>' in body
    logout = re.search(
        r'<form method="post" action="/account/logout/">.*?</form>', body
    )
    assert logout is not None
    assert "csrfmiddlewaretoken" in logout.group(0)
    assert '<button type="submit" class="link-button">Log out</button>' in logout.group(
        0
    )
    assert ">Log in</a>" not in body


def test_the_sign_up_link_shows_only_when_sign_up_is_open(client, site, settings):
    settings.PORTAL_SIGNUP_OPEN = False
    assert ">Sign up</a>" not in client.get("/").content.decode()
    settings.PORTAL_SIGNUP_OPEN = True
    assert ">Sign up</a>" in client.get("/").content.decode()


def test_the_footer_shows_the_office_from_its_settings(client, site):
    office = OfficeSettings.for_site(Site.objects.get())
    office.office_name = "Customer Finance Office"
    office.line1 = "100 Main St"
    office.city = "Riverton"
    office.state = "NY"
    office.postal_code = "12180"
    office.phone = "(518) 555-0142"
    office.hours = "Monday to Friday, 8:00 a.m. to 4:30 p.m."
    office.save()
    body = client.get("/").content.decode()
    footer = body[body.index("<footer") :]
    assert "100 Main St" in footer
    assert "Riverton, NY 12180" in footer
    assert '<a href="tel:(518)555-0142">(518) 555-0142</a>' in footer
    assert "Hours: Monday to Friday, 8:00 a.m. to 4:30 p.m." in footer
    assert 'href="/lenders/subordination-request/"' in footer


def _render_with_messages(*entries):
    request = RequestFactory().get("/")
    request.session = {}
    storage = FallbackStorage(request)
    for level, text in entries:
        storage.add(level, text)
    request._messages = storage
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>X</h1>{% endblock %}'
    )
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return template.render({"messages": storage, "user": request.user}, request)


def test_messages_are_notices_and_an_error_is_an_alert(site):
    html = _render_with_messages(
        (constants.SUCCESS, "Your account is linked."),
        (constants.ERROR, "That account number and ZIP code do not match."),
    )
    assert (
        '<div class="notice success" role="status">Your account is linked.</div>'
        in html
    )
    assert (
        '<div class="notice error" role="alert">'
        "That account number and ZIP code do not match.</div>" in html
    )


def test_the_not_found_page_is_in_the_frame_with_a_search(client, site):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Riverton Municipal Utilities</title>" in body
    assert "We can’t find that page" in body
    assert '<label for="notfound-q">Search the site</label>' in body


def test_the_server_error_page_renders_without_a_request_or_database():
    # Django renders 500.html with no context when something broke; it must
    # not need the request, the user or a database query.
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "/static/portal/site.css" in html


def test_the_too_many_attempts_page_is_an_alert_in_the_frame(rf, site):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/account/login/")
    request.user = AnonymousUser()
    html = render_to_string("429.html", request=request)
    assert '<div class="notice warning" role="alert">' in html
    assert "Too many attempts · Riverton Municipal Utilities" in html
