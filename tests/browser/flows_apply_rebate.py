"""Browser steps of the online rebate application, as plain functions a
longer journey test can chain. Each takes the Page of tests/browser/conftest
(logged in as a customer whose log-in is linked) and checks every page it
passes through: a screenshot at desktop and phone widths (no sideways
scroll) and axe-core (no serious or critical violation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import assert_accessible, screenshot


def _check(page: Any, name: str) -> None:
    screenshot(page, name)
    assert_accessible(page, name)


def _click(page: Any, button: str) -> None:
    with page.page.expect_navigation(wait_until="networkidle"):
        page.page.get_by_role("button", name=button, exact=True).click()


def start_rebate(
    page: Any,
    program_code: str,
    *,
    account: str = "",
    quantities: dict[str, str] | None = None,
    install_date: str,
    contractor: str = "",
) -> None:
    """Start an application for the program (by its code, as a program page
    links to it), answer steps 1 (program, account) and 2 (quantities by
    measure name, install date YYYY-MM-DD, contractor), and leave with
    "Save and finish later"."""
    page.goto(f"/account/apply/rebate/?program={program_code}")
    raw = page.page
    _check(page, "apply-rebate-1-program")
    if account:
        raw.get_by_label("Utility account").select_option(label=account)
    else:
        raw.get_by_label("Utility account").select_option(index=1)
    _click(page, "Save and continue")

    assert raw.get_by_role("heading", name="Step 2 of 5: Measures").is_visible()
    _check(page, "apply-rebate-2-measures")
    for measure, quantity in (quantities or {}).items():
        raw.get_by_role("group", name=measure).get_by_label("Quantity").fill(quantity)
    raw.get_by_label("Install date").fill(install_date)
    raw.get_by_label("Contractor").fill(contractor)
    _click(page, "Save and finish later")
    # Back on My account (which shows the "saved" message once the site's
    # frame renders messages).
    assert raw.url == page.base_url + "/account/"


def resume_rebate(page: Any) -> None:
    """Come back to the unfinished application from "Apply for a rebate"
    (its list of unfinished ones); it opens at the next step."""
    page.goto("/account/apply/rebate/")
    with page.page.expect_navigation(wait_until="networkidle"):
        page.page.get_by_role("link", name="Continue this application").first.click()


def upload_document(page: Any, path: Path, kind: str = "Invoice") -> None:
    """On the documents step: upload one file and see it listed."""
    raw = page.page
    assert raw.get_by_role("heading", name="Step 3 of 5: Documents").is_visible()
    _check(page, "apply-rebate-3-documents")
    raw.get_by_label("What is it?").select_option(label=kind)
    raw.locator("input[type=file]").set_input_files(str(path))
    _click(page, "Upload")
    assert raw.get_by_role("cell", name=path.name).first.is_visible()
    assert raw.get_by_text(f"{kind}: uploaded").is_visible()


def see_eligibility(page: Any) -> str:
    """Go on from the documents to the eligibility step; its text (the
    reasons and the estimated rebate)."""
    _click(page, "Save and continue")
    raw = page.page
    assert raw.get_by_role("heading", name="Step 4 of 5: Eligibility").is_visible()
    assert raw.get_by_role("table", name="Estimated rebate").is_visible()
    _check(page, "apply-rebate-4-eligibility")
    return str(raw.locator("main").inner_text())


def submit_rebate(page: Any) -> str:
    """From the eligibility step: review, confirm, submit; the reference
    shown on the confirmation page."""
    raw = page.page
    _click(page, "Continue to review")
    assert raw.get_by_role("heading", name="Step 5 of 5: Review").is_visible()
    _check(page, "apply-rebate-5-review")
    raw.get_by_label("The answers above are true").check()
    _click(page, "Submit the application")
    heading = raw.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Rebate application RA-")
    _check(page, "apply-rebate-6-confirmation")
    return heading.removeprefix("Rebate application ").strip()
