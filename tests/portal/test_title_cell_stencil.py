"""A list's title cells are rendered through Wagtail's template once per
page and shape, then filled in for each row (portal.viewsets.
StencilTitleMixin): the page is the same, character for character, as when
every cell goes through the template, names with markup in them included."""

import re

from django.urls import reverse

from wagtail.admin.ui.tables import TitleColumn

import pytest

from portal.viewsets import StencilTitleMixin
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"CSRF_TOKEN": ")[^"]+')


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub(r"\1…", response.content.decode())


def test_a_list_is_the_same_with_the_stencil_as_through_the_template(
    client, supervisor_bob, monkeypatch
):
    CustomerFactory(first_name="Ann", last_name="O'Neil <b>& Sons</b>")
    CustomerFactory(first_name="Bo", last_name="Lovelace")
    CustomerFactory(kind="business", business_name='"Quotes" & Co', last_name="")
    client.force_login(supervisor_bob)
    url = reverse("customers:index")
    stencilled = page(client, url)
    assert "O&#x27;Neil &lt;b&gt;&amp; Sons&lt;/b&gt;" in stencilled
    monkeypatch.setattr(
        StencilTitleMixin,
        "render_cell_html",
        lambda column, instance, context: TitleColumn.render_cell_html(
            column, instance, context
        ),
    )
    assert page(client, url) == stencilled
