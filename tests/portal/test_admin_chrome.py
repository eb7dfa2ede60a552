"""The back office's sidebar is made once a minute per user and role, not on
every page (portal.admin_chrome), and list cells are written without a
template each (portal.viewsets.TextColumn) with the same markup."""

import json
import re
from datetime import date

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from portal import roles
from portal.admin_chrome import clear_sidebar_cache
from portal.viewsets import TextColumn

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', re.S)


@pytest.fixture
def sidebar_cache(settings):
    settings.PORTAL_SIDEBAR_CACHE_SECONDS = 60
    clear_sidebar_cache()
    yield
    clear_sidebar_cache()


def page(client, url="/admin/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    props = json.loads(SIDEBAR.search(response.content.decode()).group(1))
    return props, [q["sql"] for q in ctx.captured_queries]


def menu_urls(props) -> set[str]:
    return set(re.findall(r'"url": "([^"]+)"', json.dumps(props)))


def test_the_second_page_reuses_the_sidebar_without_its_permission_queries(
    client, staff_alice, sidebar_cache
):
    client.force_login(staff_alice)
    first, first_sql = page(client, reverse("loans:index"))
    second, second_sql = page(client, reverse("customers:index"))
    assert second == first
    # Wagtail's sidebar asks for page, collection and site permissions.
    assert any("wagtailcore_groupsitepermission" in sql for sql in first_sql)
    assert not any("wagtailcore_groupsitepermission" in sql for sql in second_sql)
    assert len(second_sql) < len(first_sql)


def test_each_role_gets_its_own_menu(
    client, cashier_casey, supervisor_bob, sidebar_cache
):
    client.force_login(supervisor_bob)
    supervisor_menu, _ = page(client)
    client.force_login(cashier_casey)
    cashier_menu, _ = page(client)
    assert menu_urls(cashier_menu) != menu_urls(supervisor_menu)
    assert "Casey" in json.dumps(cashier_menu) or "casey" in json.dumps(cashier_menu)


def test_a_new_role_shows_in_the_menu_on_the_next_page(
    client, cashier_casey, sidebar_cache
):
    client.force_login(cashier_casey)
    before, _ = page(client)
    cashier_casey.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    after, _ = page(client)
    assert menu_urls(after) > menu_urls(before)


def test_with_the_cache_off_every_page_builds_its_sidebar(client, staff_alice):
    client.force_login(staff_alice)
    page(client)
    _, sql = page(client)
    assert any("wagtailcore_groupsitepermission" in q for q in sql)


class Row:
    def __init__(self, value):
        self.value = value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<b>O'Neil & Sons</b>", "&lt;b&gt;O&#x27;Neil &amp; Sons&lt;/b&gt;"),
        (1234567, "1234567"),
        (None, ""),
        ("  ", ""),
        (True, "True"),
    ],
)
def test_a_text_cell_is_what_wagtails_cell_template_writes(value, shown):
    cell = TextColumn("value").render_cell_html(Row(value), {})
    assert cell == f"<td>{shown}</td>"


def test_a_text_cell_shows_a_date_as_the_templates_do():
    from django.template import Context, Template

    day = date(2026, 3, 1)
    expected = Template("{{ value }}").render(Context({"value": day}))
    assert TextColumn("value").render_cell_html(Row(day), {}) == f"<td>{expected}</td>"
    classed = TextColumn("value", classname="num").render_cell_html(Row(1), {})
    assert classed == '<td class="num">1</td>'


def test_staff_without_page_permissions_skip_the_cms_panels_queries(
    client, staff_alice
):
    client.force_login(staff_alice)
    _, sql = page(client, "/admin/")
    assert not any(
        "wagtailcore_workflowstate" in q or "wagtailcore_pagelogentry" in q for q in sql
    )


def test_a_page_editor_keeps_wagtails_own_dashboard_panels(client):
    from django.contrib.auth import get_user_model

    from wagtail.admin.views.home import RecentEditsPanel

    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "x")
    client.force_login(editor)
    response = client.get("/admin/")
    assert any(isinstance(p, RecentEditsPanel) for p in response.context["panels"])
