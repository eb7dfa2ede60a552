"""Back-office pages name the utility in the browser tab, not "Wagtail"."""

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_back_office_titles_name_the_utility(client, supervisor_bob):
    client.force_login(supervisor_bob)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.strip() == "Dashboard - Riverton Municipal Utilities"
    assert "Wagtail" not in title
