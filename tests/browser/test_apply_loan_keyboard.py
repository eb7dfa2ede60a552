"""Keyboard only: the whole online loan application can be completed with
Tab, typing, the arrow keys, Space and Enter (the file itself is given to
the focused file input, as a file chooser would)."""

from __future__ import annotations

from typing import Any

import pytest

from loans.choices import ApplicationStatus
from loans.models import LoanApplication
from tests.browser.flows_apply_loan import write_proposal
from tests.customer.apply_loan_setup import Applicant

pytestmark = pytest.mark.django_db(transaction=True)

PRIMARY = "main form button.button:not(.secondary)"


def tab_to(raw: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        raw.keyboard.press("Tab")
        if raw.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def press_enter_and_wait(raw: Any) -> None:
    with raw.expect_navigation():
        raw.keyboard.press("Enter")


def test_the_application_can_be_completed_with_the_keyboard_alone(page_for, tmp_path):
    applicant = Applicant()
    page = page_for(applicant.user)
    raw = page.page
    page.goto("/account/apply/loan/?product=EE")

    # Step 1: choices by arrow key, numbers typed.
    tab_to(raw, "#id_account")
    raw.keyboard.press("ArrowDown")
    assert raw.input_value("#id_account") == str(applicant.account.pk)
    tab_to(raw, "#id_parcel")
    raw.keyboard.press("ArrowDown")
    assert raw.input_value("#id_parcel") == str(applicant.parcel.pk)
    tab_to(raw, "#id_amount")
    raw.keyboard.type("4500.00")
    tab_to(raw, "#id_term")
    raw.keyboard.type("48")
    tab_to(raw, PRIMARY)
    press_enter_and_wait(raw)
    assert raw.url.endswith("/project/")

    # Step 2: a measure ticked with Space, words typed, the proposal given
    # to the focused file input.
    tab_to(raw, "#id_measures_0")
    raw.keyboard.press("Space")
    tab_to(raw, "#id_purpose")
    raw.keyboard.type("Attic insulation to R-30")
    tab_to(raw, "#id_contractor_name")
    raw.keyboard.type("Riverton Home Energy")
    tab_to(raw, "#id_proposal")
    raw.locator(":focus").set_input_files(str(write_proposal(tmp_path)))
    tab_to(raw, PRIMARY)
    press_enter_and_wait(raw)
    assert raw.url.endswith("/check/")

    # Step 3: on to the review.
    tab_to(raw, PRIMARY)
    press_enter_and_wait(raw)
    assert raw.url.endswith("/review/")

    # Step 4: the confirmation box with Space, then Submit with Enter.
    tab_to(raw, "#id_confirm")
    raw.keyboard.press("Space")
    tab_to(raw, PRIMARY)
    press_enter_and_wait(raw)
    assert raw.url.endswith("/submitted/")

    application = LoanApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.purpose == "Measures: Insulation.\nAttic insulation to R-30"
    assert application.proposal_document is not None
    assert application.reference in raw.locator(".notice.success").inner_text()
    assert page.problems == []
