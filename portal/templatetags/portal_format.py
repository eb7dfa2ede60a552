"""How the back office writes numbers, dates and people.

    {% load portal_format %}
    {{ amount|usd }}        $1,234.56 (Money, Decimal, int or a database sum)
    {{ a_date|day }}        March 4, 2026
    {{ a_datetime|moment }} March 4, 2026, 2:15 p.m. (in the site's time zone)
    {{ user|person }}       Casey Cashier (the username when no name is known)
    <title>…{% site_name %}</title>

Every screen uses these, so an amount, a date or a person reads the same
everywhere. The functions behind the filters (`money_text`, `day_text`,
`moment_text`, `person_text`) are for Python code that builds text for a
screen (the audit history, panels). Nothing here reads the database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from portal.money import format_money

register = template.Library()

DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a"
NOTHING = "—"


def money_text(value: Any) -> str:
    """$1,234.56 for a Money, Decimal or int; a database sum that SQLite
    returned as a float is read through its text (then rounded to the cent)."""
    if value is None or value == "":
        return NOTHING
    amount = getattr(value, "amount", value)
    if isinstance(amount, float):
        amount = Decimal(str(amount))
    if isinstance(amount, str):
        amount = Decimal(amount)
    return format_money(amount)


def day_text(value: date | datetime | None) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return _day_in(value, translation.get_language())


@lru_cache(maxsize=4096)
def _day_in(value: date, language: str | None) -> str:
    # Django's date formatting costs ~45 µs a call (month names through
    # gettext); a loan page writes a few hundred dates, most of them repeated.
    # The text depends only on the date and the active language.
    return format_date(value, DATE_FORMAT)


def moment_text(value: date | datetime | None) -> str:
    if value is None or value == "":
        return NOTHING
    if not isinstance(value, datetime):
        return day_text(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_date(value, DATETIME_FORMAT)


def person_text(user: Any) -> str:
    if user is None:
        return NOTHING
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name.strip() or user.get_username()


@register.filter
def usd(value: Any) -> str:
    return money_text(value)


@register.filter
def day(value: Any) -> str:
    return day_text(value)


@register.filter
def moment(value: Any) -> str:
    return moment_text(value)


@register.filter
def person(user: Any) -> str:
    return person_text(user)


@register.simple_tag
def site_name() -> str:
    """The utility's name, for page titles in place of "Wagtail"."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Back office"
