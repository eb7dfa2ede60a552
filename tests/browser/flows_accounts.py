"""Reusable browser steps for a customer's log-in (plain functions on the
`Page` of tests/browser/conftest.py, so a longer journey can chain them).
Each step ends on the page it leads to."""

from __future__ import annotations

import re
from typing import Any

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)")


def _main(page: Any) -> Any:
    return page.page.locator("#main")


def _submit(page: Any, button: str) -> None:
    with page.page.expect_navigation():
        _main(page).get_by_role("button", name=button).click()


def sign_up(page: Any, email: str, password: str) -> None:
    """Create an account; ends on "Check your e-mail"."""
    page.goto("/account/signup/")
    main = _main(page)
    main.get_by_label("E-mail address").fill(email)
    main.get_by_label("Password", exact=True).fill(password)
    main.get_by_label("Password again").fill(password)
    _submit(page, "Create account")


def verify_email(page: Any, email: str) -> None:
    """Open the newest confirmation link sent to `email` (Django's test mail
    outbox) and confirm; ends where the confirmation leads (linking an
    account, for a new customer who is logged in)."""
    from django.core import mail

    bodies = [m.body for m in mail.outbox if email in m.to]
    assert bodies, f"no e-mail was sent to {email}"
    found = CONFIRM_LINK.search(bodies[-1])
    assert found, f"the last e-mail to {email} has no confirmation link"
    page.goto(found.group(1))
    _submit(page, "Confirm")


def log_in(page: Any, login: str, password: str) -> None:
    page.goto("/account/login/")
    main = _main(page)
    main.get_by_label("Username or e-mail").fill(login)
    main.get_by_label("Password").fill(password)
    _submit(page, "Log in")


def log_out(page: Any) -> None:
    page.goto("/account/logout/")
    _submit(page, "Log out")


def link_account(page: Any, number: str, postal_code: str, last_name: str) -> None:
    """Link a utility account; ends on My account when the details match."""
    page.goto("/account/link/")
    main = _main(page)
    main.get_by_label("Account number").fill(number)
    main.get_by_label("Service ZIP code").fill(postal_code)
    main.get_by_label("Last name on the account").fill(last_name)
    _submit(page, "Link account")
