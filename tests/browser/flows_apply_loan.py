"""Browser steps of the online loan application, as plain functions a
journey test can chain: a logged-in customer (tests.browser.conftest's
page_for) applies for a loan and gets its reference number."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.factories.files import pdf_bytes

Check = Callable[[str], None]


def write_proposal(directory: Path, name: str = "proposal.pdf") -> Path:
    """A real one-page PDF on disk, for the file chooser."""
    path = directory / name
    path.write_bytes(pdf_bytes())
    return path


def _continue(raw: Any, name: str) -> None:
    with raw.expect_navigation():
        raw.get_by_role("button", name=name, exact=True).click()


def apply_for_loan(
    page: Any,
    *,
    product_code: str,
    amount: str,
    term: int | str,
    purpose: str,
    proposal_path: Path | str | None = None,
    on_page: Check | None = None,
) -> str:
    """Fill in and submit the four steps with the customer's first account
    and property; `on_page(name)` runs on each page (screenshots, axe).
    Returns the reference number shown on the confirmation."""
    check = on_page or (lambda name: None)
    raw = page.page
    page.goto(f"/account/apply/loan/?product={product_code}")
    check("apply-loan-1-your-loan")
    raw.get_by_label("Utility account").select_option(index=1)
    raw.get_by_label("Property").select_option(index=1)
    raw.get_by_label("Amount to borrow").fill(amount)
    raw.get_by_label("Term in months").fill(str(term))
    _continue(raw, "Save and continue")

    check("apply-loan-2-your-project")
    raw.get_by_label("Describe the work").fill(purpose)
    raw.get_by_label("Contractor's name").fill("Riverton Home Energy")
    if proposal_path is not None:
        raw.get_by_label("Contractor's proposal").set_input_files(str(proposal_path))
    _continue(raw, "Save and continue")

    check("apply-loan-3-check")
    _continue(raw, "Continue to review")

    check("apply-loan-4-review")
    raw.get_by_label("The information I gave is true", exact=False).check()
    _continue(raw, "Submit application")

    check("apply-loan-5-submitted")
    return str(raw.locator(".notice.success strong").inner_text()).strip()
