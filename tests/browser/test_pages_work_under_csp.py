"""The back office and the public site work in a real browser under the
Content-Security-Policy: the header is sent, nothing is blocked, and the
admin's own scripts run (its sidebar is drawn by JavaScript)."""

import io

from django.core.management import call_command

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def test_the_back_office_runs_its_scripts_under_the_policy(page_for, supervisor_bob):
    page = page_for(supervisor_bob)
    response = page.goto("/admin/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The sidebar is rendered by the admin's JavaScript: it exists only if the
    # policy let the scripts run.
    page.page.wait_for_selector(
        "[data-side-panel-toggle], .sidebar, nav", timeout=10000
    )
    assert page.page.locator("text=Loans").first.is_visible()
    page.goto("/admin/loans/")
    assert page.problems == [], "\n".join(page.problems)


def test_the_public_site_renders_under_the_policy(page_for, demo):
    page = page_for()
    response = page.goto("/")
    assert response.status == 200
    assert "content-security-policy" in response.headers
    assert page.page.locator("h1").first.is_visible()
    assert page.problems == [], "\n".join(page.problems)
