"""A new customer in a real browser: signs up, confirms the address from the
e-mail, links their utility account (made by factories) and sees it on My
account; then logs out and back in. Every page on the way is screenshotted
and checked with axe."""

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_accounts import (
    link_account,
    log_in,
    log_out,
    sign_up,
    verify_email,
)
from tests.factories import CustomerFactory, UtilityAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "pat.rivera@example.org"
PASSWORD = "Lantern-orchard-42"


@pytest.fixture(autouse=True)
def public_site(db):
    """The home page a log-out lands on (transactional tests start empty)."""
    from portal.site.demo import home_page

    return home_page()


def test_a_new_customer_signs_up_verifies_and_links_their_account(page_for):
    customer = CustomerFactory(first_name="Pat", last_name="Rivera")
    UtilityAccountFactory(
        number="400123", customer=customer, line1="12 Elm St", postal_code="12180"
    )
    page = page_for(None)

    page.goto("/account/signup/")
    assert_accessible(page, "sign-up")
    screenshot(page, "accounts-signup")
    sign_up(page, EMAIL, PASSWORD)
    assert page.page.locator("h1").inner_text() == "Check your e-mail"
    assert_accessible(page, "verification sent")
    screenshot(page, "accounts-verification-sent")

    verify_email(page, EMAIL)
    assert page.page.url.endswith("/account/link/")
    assert_accessible(page, "link account")
    screenshot(page, "accounts-link")

    link_account(page, "400123", "12180", "rivera")
    assert page.page.url.endswith("/account/")
    main = page.page.locator("#main")
    assert "Account 400123 is now linked to your log-in." in main.inner_text()
    assert "12 Elm St, Riverton, NY 12180" in main.inner_text()
    assert_accessible(page, "my account")
    screenshot(page, "accounts-my-account")

    log_out(page)
    page.goto("/account/login/")
    assert_accessible(page, "log-in")
    screenshot(page, "accounts-login")
    log_in(page, EMAIL, PASSWORD)
    assert "Signed in as Pat Rivera." in page.page.locator("#main").inner_text()
    assert page.problems == []
