"""The script settings on every admin page (Wagtail's `wagtail_config`) keep
their translated strings and locales per language for a minute, with the
page's own CSRF token and the user's keyboard-shortcut preference put in on
every page; static file addresses are worked out once (portal.admin_chrome)."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.staticfiles import versioned_static
from wagtail.users.models import UserProfile

import pytest

from portal.admin_chrome import cached_versioned_static, clear_sidebar_cache

pytestmark = pytest.mark.django_db

CONFIG = re.compile(
    r'<script id="wagtail-config" type="application/json">(.*?)</script>'
)


@pytest.fixture
def chrome_cache(settings):
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    yield
    clear_sidebar_cache()


def config_and_sql(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("customers:index"))
    assert response.status_code == 200
    found = CONFIG.search(response.content.decode())
    assert found is not None
    config = json.loads(found.group(1))
    return config, [q["sql"] for q in ctx.captured_queries]


def test_the_second_page_has_the_same_config_without_the_locale_query(
    client, auditor_audrey, settings
):
    client.force_login(auditor_audrey)
    wagtails, _ = config_and_sql(client)  # cache off: Wagtail's own tag
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    first, first_sql = config_and_sql(client)
    second, second_sql = config_and_sql(client)
    assert any("wagtailcore_locale" in q for q in first_sql)
    assert not any("wagtailcore_locale" in q for q in second_sql)
    for config in (first, second):
        assert list(config) == list(wagtails)
        assert {k: v for k, v in config.items() if k != "CSRF_TOKEN"} == {
            k: v for k, v in wagtails.items() if k != "CSRF_TOKEN"
        }
        assert len(config["CSRF_TOKEN"]) == 64
    clear_sidebar_cache()


def test_the_keyboard_shortcut_preference_shows_on_the_next_page(
    client, auditor_audrey, chrome_cache
):
    client.force_login(auditor_audrey)
    first, _ = config_and_sql(client)
    assert first["KEYBOARD_SHORTCUTS_ENABLED"] is True
    profile = UserProfile.get_for_user(auditor_audrey)
    profile.keyboard_shortcuts = False
    profile.save()
    second, _ = config_and_sql(client)
    assert second["KEYBOARD_SHORTCUTS_ENABLED"] is False


def test_a_static_address_is_wagtails():
    for path in ["wagtailadmin/js/core.js", "https://example.org/x.js", "/a.css"]:
        assert cached_versioned_static(path) == versioned_static(path)
