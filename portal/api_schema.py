"""Base for the API's input schemas: strict JSON.

An unknown field is refused (a typo such as "ammount" must not be silently
ignored), and so is a value of the wrong JSON type (pydantic's strict mode
is not used wholesale: dates arrive as strings and must still parse).
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
