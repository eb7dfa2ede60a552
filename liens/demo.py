"""Demo liens and deposits, loaded by `manage.py load_demo_data` after the
demo loans (portal.demo runs each app's `load_demo(users)` in app order).

Each part makes its own records and is safe to run twice."""

from __future__ import annotations

from typing import Any


def load_demo(users: dict[str, Any]) -> None:
    from liens.demo_adequacy import load_adequacy_demo
    from liens.demo_deposits import load_deposits_demo
    from liens.demo_liens import load_liens_demo
    from liens.demo_subordinations import load_subordinations_demo

    load_liens_demo()
    # The approved request stands behind a lien recorded just above.
    load_subordinations_demo(users)
    load_deposits_demo(users)
    # A review over the demo accounts and deposits, and a decision to approve.
    load_adequacy_demo()
