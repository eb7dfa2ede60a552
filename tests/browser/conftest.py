"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's
live server. They never skip: without Chromium they fail and say how to get
it (`python3 run.py test` installs it when it is missing)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls (fixtures) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; `python3 run.py test` "
            "installs it (apt-get install -y chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A Playwright page that records Content-Security-Policy violations and
    page errors, so a test can assert the page ran cleanly."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or message.type == "error":
            self.problems.append(f"{message.type}: {text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path, wait_until="networkidle")


@pytest.fixture
def page_for(browser: Any, live_server: Any) -> Iterator[Any]:
    """page_for(user or None) -> Page, logged in as that user (by session).
    Each person gets a session of their own, made by a client of its own:
    logging a second person in on one client would end the first one's
    session, so two people could not work side by side."""
    from django.test import Client

    contexts: list[Any] = []

    def make(user: Any = None) -> Page:
        context = browser.new_context()
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        return Page(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()


# --- Shared checks for the public site -------------------------------------

# Screenshots of the main pages, at a desktop and a phone width (README:
# "Screenshots"). Not committed: each test run writes them afresh.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def screenshot(page: Page, name: str) -> None:
    """Save `name`-desktop.png and `name`-phone.png of the current page, and
    check that at the phone width nothing scrolls sideways."""
    SCREENSHOTS.mkdir(exist_ok=True)
    raw = page.page
    before = raw.viewport_size
    for label, (width, height) in WIDTHS.items():
        raw.set_viewport_size({"width": width, "height": height})
        raw.wait_for_timeout(50)
        raw.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        if label == "phone":
            overflow = raw.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name}: scrolls sideways by {overflow}px at 390px"
    if before:
        raw.set_viewport_size(before)


def assert_accessible(page: Page, name: str = "") -> None:
    """axe-core (run in this Chromium) finds no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page.page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} - "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not bad, f"{name or page.page.url}: " + " | ".join(bad)
