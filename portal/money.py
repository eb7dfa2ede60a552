"""The product's one money boundary: parsing money text, rounding to the cent,
summing money in the database.

Every form, view, API schema, file import and command turns text into an
amount with `parse_money` (or its adapters `MoneyFormField` and
`MoneyText`); nothing else calls `Decimal(text)` on money. The rules:

- an optional sign, digits (thousands commas allowed when correctly grouped),
  an optional point and at most two decimals: "1234.56", "1,234.5", "-3";
- no exponent ("1e2"), no NaN or Infinity, no currency symbols, no floats
  (a float cannot hold most cents exactly);
- a sub-cent amount is refused, never rounded: django-money would silently
  store "3999.995" as 4000.00;
- negative amounts only where the caller says so (adjustments).

SQLite stores decimals as floating point, so a database SUM of money drifts
(1,000 × 0.10 can come back as 99.9999999999986). Every money aggregate goes
through `sum_money`, which rounds the database's answer to the cent.

This module imports nothing from Django at module level except what the
adapters need, so the pure arithmetic (loans/schedule.py, programs/rules.py)
can use it too.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING, Annotated, Any

from django import forms
from django.core.exceptions import ValidationError

from pydantic import BeforeValidator

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from djmoney.money import Money

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount any money column holds (max_digits=14, two decimals).
MAX_AMOUNT = Decimal("999999999999.99")

# 34 significant digits (IEEE decimal128): exact for any realistic amount, and
# independent of the caller's global decimal context.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)

# sign, digits (plain or grouped by commas in threes), optional point, decimals
_MONEY_TEXT = re.compile(
    r"^(?P<sign>[+-])?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?$"
)

EMPTY = "Enter an amount."
NOT_A_NUMBER = (
    "{shown} is not an amount of money; use digits with an optional decimal "
    "point, for example 1234.56."
)
EXPONENT = "Write {shown} out in digits; amounts with an exponent are not accepted."
NOT_FINITE = "{shown} is not an amount of money."
SUB_CENT = "Amounts are in dollars and cents: {shown} has more than two decimal places."
NEGATIVE = "The amount can't be negative."
TOO_LARGE = "The amount is too large; the most any record holds is $999,999,999,999.99."
FLOAT = (
    'Send amounts as text such as "12.34", not as a number: floating point '
    "cannot hold cents exactly."
)


class MoneyError(ValueError):
    """Money text that is not an amount; the message says what is wrong."""


def cents(value: Decimal | int) -> Decimal:
    """Round to the cent, half up: the product's only rounding rule."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"cents() needs a Decimal or int, not {type(value).__name__}.")
    with localcontext(_CONTEXT):
        result = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    # Normalise -0.00 so it never shows up on a statement.
    return result if result != 0 else ZERO


def parse_money(value: object, *, allow_negative: bool = False) -> Decimal:
    """Turn user, file or API input into an exact cent amount, or raise
    MoneyError with a message that says what is wrong with it."""
    amount, shown = _as_decimal(value)
    if not amount.is_finite():
        raise MoneyError(NOT_FINITE.format(shown=shown))
    if amount != amount.quantize(CENT, context=_CONTEXT):
        raise MoneyError(SUB_CENT.format(shown=shown))
    if amount < 0 and not allow_negative:
        raise MoneyError(NEGATIVE)
    if abs(amount) > MAX_AMOUNT:
        raise MoneyError(TOO_LARGE)
    return cents(amount)


def _as_decimal(value: object) -> tuple[Decimal, str]:
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(FLOAT)
    if isinstance(value, Decimal):
        return value, str(value)
    if isinstance(value, int):
        return Decimal(value), str(value)
    if not isinstance(value, str):
        raise MoneyError(NOT_A_NUMBER.format(shown=repr(value)))
    text = value.strip()
    if not text:
        raise MoneyError(EMPTY)
    if "\x00" in text or len(text) > 40:
        raise MoneyError(NOT_A_NUMBER.format(shown=repr(text[:40])))
    shown = repr(text)
    lowered = text.lower().lstrip("+-")
    if lowered in {"nan", "snan", "inf", "infinity"}:
        raise MoneyError(NOT_FINITE.format(shown=shown))
    if "e" in lowered and _looks_exponential(lowered):
        raise MoneyError(EXPONENT.format(shown=shown))
    match = _MONEY_TEXT.match(text)
    if match is None or not (match["whole"] or match["frac"]):
        raise MoneyError(NOT_A_NUMBER.format(shown=shown))
    digits = f"{match['sign'] or ''}{match['whole'].replace(',', '') or '0'}"
    if match["frac"]:
        digits += f".{match['frac']}"
    try:
        return Decimal(digits), shown
    except InvalidOperation as exc:  # pragma: no cover - the pattern guards it
        raise MoneyError(NOT_A_NUMBER.format(shown=shown)) from exc


def _looks_exponential(text: str) -> bool:
    mantissa, _, exponent = text.partition("e")
    return (
        bool(mantissa)
        and exponent.lstrip("+-").isascii()
        and exponent.lstrip("+-").isdigit()
    )


def format_money(value: Decimal | int) -> str:
    """$1,234.56 (negative: -$1,234.56)."""
    try:
        return _format_money_kept(value)
    except TypeError:  # not hashable (a signalling NaN): say what is wrong
        return _format_money(value)


def _format_money(value: Decimal | int) -> str:
    amount = cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


# A loan's page shows some 600 amounts, many of them the same; the text
# depends only on the amount (equal amounts, one text), so each is worked
# out once. typed: True, 1 and Decimal(1) are three entries (True refused).
_format_money_kept = functools.lru_cache(maxsize=8192, typed=True)(_format_money)


def money_str(value: Any) -> str | None:
    """Two-decimal text for the API ("1234.50"); accepts Money or Decimal."""
    if value is None:
        return None
    return f"{cents(getattr(value, 'amount', value)):.2f}"


def usd(value: Decimal | int) -> Money:
    from djmoney.money import Money

    return Money(cents(value), "USD")


def sum_money(queryset: QuerySet[Any], field: str) -> Decimal:
    from django.db.models import Sum

    total = queryset.aggregate(total=Sum(field))["total"]
    return cents(Decimal(str(total)) if isinstance(total, float) else (total or 0))


# --------------------------------------------------------------------------
# Adapters: the same parser behind Django forms and the API's schemas
# --------------------------------------------------------------------------


class MoneyFormField(forms.CharField):
    """A form field for an amount in dollars and cents, parsed by parse_money.

    A text input (not a number input) so that the browser never rounds or
    reformats what the clerk typed; the parser's message lands on the field.
    """

    def __init__(self, *, allow_negative: bool = False, **kwargs: Any) -> None:
        self.allow_negative = allow_negative
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_money(text, allow_negative=self.allow_negative)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid_amount") from None

    def prepare_value(self, value: Any) -> Any:
        amount = getattr(value, "amount", value)
        if isinstance(amount, Decimal):
            return f"{amount:.2f}"
        return value


API_NOT_TEXT = 'Send amounts as JSON strings such as "12.34".'


def _api_text(value: object) -> object:
    # The contract: amounts are JSON strings. A JSON number (12.5, 1e-2, 100)
    # has already lost the client's exact text.
    if not isinstance(value, str | Decimal):
        raise MoneyError(API_NOT_TEXT)
    return value


def _api_money(value: object) -> Decimal:
    return parse_money(_api_text(value))


def _api_signed_money(value: object) -> Decimal:
    return parse_money(_api_text(value), allow_negative=True)


# Pydantic (django-ninja) types: an amount field in an API schema is declared
# as `MoneyText` and gets parse_money's rules and messages.
MoneyText = Annotated[Decimal, BeforeValidator(_api_money)]
SignedMoneyText = Annotated[Decimal, BeforeValidator(_api_signed_money)]
