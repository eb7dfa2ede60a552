"""A list's filter menu and the keyboard shortcuts dialog are drawn once a
minute, not on every page (portal.admin_chrome), and read the same as
Wagtail's own."""

import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.templatetags.wagtailadmin_tags import keyboard_shortcuts_dialog

import pytest

from portal.admin_chrome import (
    SHORTCUTS_TEMPLATE,
    cached_keyboard_shortcuts_dialog,
    clear_sidebar_cache,
)

pytestmark = pytest.mark.django_db

TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|"CSRF_TOKEN": ")[^"]+')


def page(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    html = TOKENS.sub(r"\1-", response.content.decode())
    return html, [q["sql"] for q in ctx.captured_queries]


def option_queries(sql):
    return [q for q in sql if "loans_loanproduct" in q and 'loans_loan"' not in q]


@pytest.fixture
def kept(settings):
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    yield
    clear_sidebar_cache()


def test_the_loan_list_reads_its_filter_options_once_and_shows_the_same_page(
    client, staff_alice, settings
):
    client.force_login(staff_alice)
    url = reverse("loans:index")
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 0
    wagtails, wagtails_sql = page(client, url)
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    first, first_sql = page(client, url)
    second, second_sql = page(client, url)
    clear_sidebar_cache()
    assert option_queries(wagtails_sql)
    assert option_queries(first_sql)
    assert option_queries(second_sql) == []
    assert first == wagtails
    assert second == wagtails


def test_each_filter_value_has_its_own_menu(client, staff_alice, kept):
    client.force_login(staff_alice)
    url = reverse("loans:index")
    plain, _ = page(client, url)
    late, _ = page(client, url + "?dpd_bucket=31-60")
    again, _ = page(client, url + "?dpd_bucket=31-60&p=1")
    chosen = re.compile(r'value="31-60" selected')
    assert not chosen.search(plain)
    assert chosen.search(late)
    assert chosen.search(again)


def test_a_menu_is_drawn_again_after_the_minute(client, staff_alice, kept, monkeypatch):
    client.force_login(staff_alice)
    url = reverse("loans:index")
    page(client, url)
    import portal.admin_chrome as chrome

    later = chrome.time.monotonic() + 61
    monkeypatch.setattr(chrome.time, "monotonic", lambda: later)
    _, sql = page(client, url)
    assert option_queries(sql)


@pytest.mark.parametrize(
    "agent",
    ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X)"],
)
def test_the_kept_shortcuts_dialog_is_wagtails_for_the_platform(
    staff_alice, kept, agent
):
    from django.template.loader import get_template

    request = RequestFactory().get("/admin/", HTTP_USER_AGENT=agent)
    request.user = staff_alice
    context = {"request": request}
    wagtails = get_template(SHORTCUTS_TEMPLATE).render(
        keyboard_shortcuts_dialog(context)
    )
    first = cached_keyboard_shortcuts_dialog(context)
    second = cached_keyboard_shortcuts_dialog(context)
    assert first == wagtails
    assert second is first
    assert ("⌘" in first) == ("Mac" in agent)


def test_a_list_whose_filters_wagtail_makes_per_page_keeps_one_menu(
    client, staff_alice, kept
):
    import portal.admin_chrome as chrome

    client.force_login(staff_alice)
    url = reverse("customers:index")
    first, _ = page(client, url)
    second, _ = page(client, url + "?q=Zqxjkvw")
    third, _ = page(client, url + "?q=Zqxjkvw")
    assert len(chrome._filter_menus) == 2
    assert 'value="Zqxjkvw"' in third
    assert second == third
