"""Reusable steps of an anonymous visitor on the public site (plain
functions over tests/browser/conftest.Page, so a longer journey can chain
them)."""

from __future__ import annotations

from typing import Any


def search_site(page: Any, words: str) -> None:
    """From any page: the Search link in the header, then the search form."""
    page.page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Search"
    ).click()
    page.page.get_by_label("Search programs, questions and news").fill(words)
    with page.page.expect_navigation():
        page.page.locator("#main").get_by_role("button", name="Search").click()


def find_faq_by_search(page: Any, word: str, question: str) -> None:
    """Search for `word` and follow the result's link to `question` on the FAQ
    page; the answer is then on screen."""
    search_site(page, word)
    with page.page.expect_navigation():
        page.page.get_by_role("link", name=question).click()


def open_program_page(page: Any, title: str) -> None:
    """From the home page's program cards."""
    page.goto("/")
    with page.page.expect_navigation():
        page.page.get_by_role("link", name=title, exact=True).first.click()


def use_loan_calculator(page: Any, amount: str, term: str) -> str:
    """Fill the calculator on a loan program page and return the monthly
    payment it shows (or "" when the input was refused)."""
    form = page.page.locator("#calculator form")
    form.get_by_label("Amount to borrow").fill(amount)
    form.get_by_label("Term in months").fill(term)
    with page.page.expect_navigation():
        form.get_by_role("button", name="Calculate").click()
    result = page.page.locator("#estimate dt:has-text('Monthly payment') + dd")
    return result.inner_text() if result.count() else ""


def send_contact_message(page: Any, values: dict[str, str]) -> None:
    """Fill the contact form by its labels and send it."""
    for label, value in values.items():
        field = page.page.get_by_label(label, exact=True)
        if label == "Topic":
            field.select_option(label=value)
        else:
            field.fill(value)
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Send message").click()
