"""The account feed's input: what the billing system (CIS) sends for an
account and its monthly bills. The API (portal.api_accounts) and the CSV
loader (load_account_feed) validate with these same schemas, so a file and a
request are held to the same rules and messages."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from django.core.validators import validate_email
from django.utils import timezone

from ninja import Field
from pydantic import StrictBool, field_validator

from portal.api_schema import StrictIn
from portal.checks import CleanStr
from portal.choices import Service
from portal.money import MoneyText

SERVICES = [s.value for s in Service]
STATE = re.compile(r"^[A-Za-z]{2}$")
ZIP = re.compile(r"^([0-9]{5})(?:-?([0-9]{4}))?$")
PERIOD = re.compile(r"^([0-9]{4})-([0-9]{2})$")

BAD_STATE = "Use the state's two-letter code, such as NY."
BAD_ZIP = "Use a 5-digit ZIP code (12180) or ZIP+4 (12180-1234)."
UNKNOWN_SERVICE = "Unknown service {shown}; use electric, gas, water or sewer."
BAD_PERIOD = "{shown} is not a month; write it as YYYY-MM, for example 2026-03."
FUTURE_PERIOD = "{shown} has not been billed yet; the latest month is {latest}."
BAD_EMAIL = "Enter a valid email address."


class FeedCustomerIn(StrictIn):
    name: CleanStr = Field(..., min_length=1, max_length=200)
    email: CleanStr = Field("", max_length=254)

    @field_validator("name")
    @classmethod
    def name_not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("Enter the customer's name.")
        return value

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except Exception:
                raise ValueError(BAD_EMAIL) from None
        return value


class ServiceAddressIn(StrictIn):
    line1: CleanStr = Field(..., min_length=1, max_length=200)
    city: CleanStr = Field(..., min_length=1, max_length=100)
    state: str
    zip: str

    @field_validator("line1", "city")
    @classmethod
    def not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("This can't be blank.")
        return value

    @field_validator("state")
    @classmethod
    def two_letters(cls, value: str) -> str:
        if not STATE.match(value.strip()):
            raise ValueError(BAD_STATE)
        return value.strip().upper()

    @field_validator("zip")
    @classmethod
    def zip_code(cls, value: str) -> str:
        match = ZIP.match(value.strip())
        if match is None:
            raise ValueError(BAD_ZIP)
        # One stored form, so the same ZIP sent twice is not a change.
        return f"{match[1]}-{match[2]}" if match[2] else match[1]


class AccountFeedIn(StrictIn):
    """PUT /api/v1/accounts/{number}: the account as the billing system has it."""

    customer: FeedCustomerIn
    service_address: ServiceAddressIn
    customer_class: Literal["residential", "commercial"]
    services: list[str]
    status: Literal["active", "inactive", "closed"]
    delinquent_balance: MoneyText
    bad_debt: StrictBool
    transfer: StrictBool = False

    @field_validator("services")
    @classmethod
    def known_services(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in SERVICES:
                raise ValueError(UNKNOWN_SERVICE.format(shown=repr(name)[:40]))
        return sorted(set(value))


def parse_period(text: str, *, today: date | None = None) -> date:
    """'2026-03' → date(2026, 3, 1); refuses other shapes, month 13 and
    months after the current one (a bill can't come from the future)."""
    match = PERIOD.match(text)
    shown = repr(text[:20])
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        raise ValueError(BAD_PERIOD.format(shown=shown))
    month = date(int(match[1]), int(match[2]), 1)
    today = today or timezone.localdate()
    if month > today.replace(day=1):
        raise ValueError(FUTURE_PERIOD.format(shown=shown, latest=f"{today:%Y-%m}"))
    return month


class BillIn(StrictIn):
    """One item of PUT /api/v1/accounts/{number}/bills."""

    period: str
    amount: MoneyText

    @field_validator("period")
    @classmethod
    def month(cls, value: str) -> str:
        parse_period(value)
        return value

    def month_start(self) -> date:
        return parse_period(self.period)
