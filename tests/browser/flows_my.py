"""Reusable browser steps for My loans and My applications (a later
end-to-end journey chains them). Each takes a tests.browser.conftest.Page
logged in as the customer."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def see_loan_balance(page: Any, number: str) -> str:
    """Open the loan's page; the text of its balance block."""
    page.goto(f"/account/loans/{number}/")
    return str(page.page.inner_text("#balance"))


def download_payoff_letter(page: Any, number: str, as_of: str = "") -> bytes:
    """Ask the payoff amount on the loan's page (for `as_of`, YYYY-MM-DD, or
    the date the form offers: today) and download the letter; its bytes."""
    page.goto(f"/account/loans/{number}/")
    field = page.page.get_by_label("Pay off on")
    if as_of:
        field.fill(as_of)
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Show the payoff amount").click()
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Download the payoff letter (PDF)").click()
    return Path(download.value.path()).read_bytes()


def answer_information_request(
    page: Any, kind: str, pk: int, message: str, path: str | Path
) -> str:
    """Answer the staff's request on the application's page with a message
    and one file; the confirmation the page then shows."""
    page.goto(f"/account/applications/{kind}/{pk}/")
    page.page.get_by_role("textbox", name="Your answer").fill(message)
    page.page.get_by_label("Files (optional)").set_input_files(str(path))
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Send my answer").click()
    return str(page.page.inner_text("#main .notice"))
