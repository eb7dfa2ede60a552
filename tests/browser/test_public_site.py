"""The public site in a real browser, as an anonymous visitor on the demo
site: every page passes axe-core (no serious or critical violation), fits a
phone's width and is saved as a screenshot."""

import io

from django.core.management import call_command

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.flows_public import (
    find_faq_by_search,
    open_program_page,
    send_contact_message,
    use_loan_calculator,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def check(page, name):
    assert_accessible(page, name)
    screenshot(page, name)


def test_a_visitor_finds_an_faq_through_search_then_uses_the_loan_calculator(
    page_for, demo
):
    visitor = page_for()
    visitor.goto("/")
    check(visitor, "public-home")

    find_faq_by_search(visitor, "AutoPay", "Can my bill be paid automatically?")
    assert visitor.page.url.endswith("/faq/#can-my-bill-be-paid-automatically")
    assert visitor.page.get_by_text("Enroll in AutoPay").is_visible()
    check(visitor, "public-faq")
    visitor.page.go_back()
    assert "Results for “AutoPay”" in visitor.page.content()
    check(visitor, "public-search-results")

    open_program_page(visitor, "Energy-efficiency loans")
    assert visitor.page.get_by_text("5% a year").is_visible()
    # A term longer than the product allows is refused on its field ...
    assert use_loan_calculator(visitor, "6000", "72") == ""
    assert visitor.page.get_by_text(
        "The longest term for this loan is 60 months."
    ).is_visible()
    # ... and a valid one gives the engine's installment.
    assert use_loan_calculator(visitor, "6000", "60") == "$113.23"
    assert "amount=6000" in visitor.page.url
    check(visitor, "public-loan-program")
    assert visitor.problems == [], "\n".join(visitor.problems)


def test_a_visitor_reads_a_rebate_program_the_news_and_writes_to_the_office(
    page_for, demo, mailoutbox
):
    visitor = page_for()
    open_program_page(visitor, "Gas Incentive Program")
    table = visitor.page.get_by_role("table", name="What the program pays")
    assert "High-efficiency gas furnace (AFUE 95+)" in table.inner_text()
    assert "$500.00 per unit" in table.inner_text()
    check(visitor, "public-rebate-program")

    visitor.goto("/news/")
    check(visitor, "public-article-listing")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("link", name="Rebates", exact=True).first.click()
    assert "Showing what is tagged “Rebates”." in visitor.page.content()
    with visitor.page.expect_navigation():
        visitor.page.get_by_role(
            "link", name="New heat pump rebates this winter"
        ).click()
    check(visitor, "public-article")

    visitor.goto("/contact/")
    assert (
        visitor.page.locator("#main")
        .get_by_text("Monday to Friday, 8:00 a.m. to 4:30 p.m.")
        .is_visible()
    )
    check(visitor, "public-contact")
    send_contact_message(
        visitor,
        {
            "Your name": "Carol Jensen",
            "E-mail": "carol@example.com",
            "Topic": "Loans",
            "Message": "Can I pay my loan off early?",
        },
    )
    assert visitor.page.get_by_text(
        "Thank you, we answer within two working days."
    ).is_visible()
    check(visitor, "public-contact-sent")
    assert len(mailoutbox) == 1
    assert visitor.problems == [], "\n".join(visitor.problems)
