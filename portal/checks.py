"""Boundary checks on text and dates shared by forms, the API, file imports
and commands (money has its own: portal.money).

- Identifiers that travel between systems (loan numbers, payment references,
  account numbers) are letters, digits, '-', '_' and '.', so they survive a
  URL, a CSV cell and a log line unchanged.
- Free text never carries NUL or other control characters (a NUL makes
  PostgreSQL refuse the row: a 500 instead of a message).
- Dates must be plausible: nothing is received tomorrow, nothing predates the
  portfolio.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from django.utils import timezone

from pydantic import AfterValidator

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

BAD_IDENTIFIER = (
    "{what} may contain only letters, digits, '-', '_' and '.', and must start "
    "with a letter or digit."
)
CONTROL_CHARACTER = "Remove the control character (such as NUL) from the text."
IN_THE_FUTURE = "{what} can't be in the future (today is {today:%Y-%m-%d})."


def identifier_problem(value: str, what: str) -> str | None:
    """Why `value` is not a valid identifier, or None."""
    if CONTROL.search(value) or not IDENTIFIER.match(value):
        return BAD_IDENTIFIER.format(what=what)
    return None


def text_problem(value: str) -> str | None:
    return CONTROL_CHARACTER if CONTROL.search(value) else None


def future_problem(day: date, what: str) -> str | None:
    today = timezone.localdate()
    return IN_THE_FUTURE.format(what=what, today=today) if day > today else None


def _clean_text(value: str) -> str:
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


def _identifier(what: str) -> AfterValidator:
    def check(value: str) -> str:
        value = value.strip()
        if problem := identifier_problem(value, what):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


# Pydantic (django-ninja) string types for API schemas.
CleanStr = Annotated[str, AfterValidator(_clean_text)]
LoanNumber = Annotated[str, _identifier("A loan number")]
Reference = Annotated[str, _identifier("A payment reference")]
AccountNumber = Annotated[str, _identifier("An account number")]
