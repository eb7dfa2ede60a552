"""Public-site fixtures: a home page as the default site's root, and a way to
add published pages under it (the demo's own helper, so pages are indexed
for search exactly as the demo's are)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def home(db: Any) -> Any:
    from portal.site.demo import home_page

    return home_page()


@pytest.fixture
def add_page() -> Any:
    from portal.site.demo import _add

    return _add
