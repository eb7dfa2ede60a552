"""Browser steps for the site's frame (base.html), for journeys to chain."""

from __future__ import annotations

from typing import Any


def focused(page: Any) -> dict[str, Any]:
    """What has keyboard focus: its tag, id, text, outline and where its top
    edge is on screen (a visible element has top >= 0)."""
    return page.page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id || "",
                    text: (el.innerText || el.value || "").trim(),
                    outline: style.outlineStyle + " " + style.outlineWidth,
                    top: el.getBoundingClientRect().top};
        }"""
    )


def skip_to_main(page: Any) -> dict[str, Any]:
    """First Tab on a fresh page, then Enter: returns what had focus after the
    Tab (the skip link) and leaves focus on <main>."""
    page.page.keyboard.press("Tab")
    first = focused(page)
    page.page.keyboard.press("Enter")
    page.page.wait_for_function("document.activeElement.id === 'main'")
    return first


def tab_to(page: Any, text: str, limit: int = 30) -> dict[str, Any]:
    """Press Tab until the focused element reads `text`; returns it."""
    for _ in range(limit):
        page.page.keyboard.press("Tab")
        now = focused(page)
        if now["text"] == text:
            return now
    raise AssertionError(f"{text!r} is not reachable with Tab")


def open_nav_link_by_keyboard(page: Any, text: str) -> None:
    """Reach a main-navigation link with Tab and follow it with Enter."""
    tab_to(page, text)
    with page.page.expect_navigation():
        page.page.keyboard.press("Enter")
