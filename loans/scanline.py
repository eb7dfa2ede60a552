"""The coupon scan line: what a lockbox reader types back from a coupon.

Layout (four fields, one space between them, printed in a monospace face at
the foot of each coupon)::

    <account number> <loan number> <amount in cents> <check digit>
    100001 L-0001 0000018871 9

- account number: the utility account's number as the billing system keeps it
  (letters, digits, '-', '_', '.'); ``0`` when the loan has no account.
- loan number: as printed on the coupon (the same alphabet).
- amount in cents: exactly ten digits, zero-padded (``0000018871`` is
  $188.71); the coupon's installment amount.
- check digit: one digit, the Luhn (mod 10) check digit of the payload.

The payload is the three fields run together without the spaces; each of
its characters becomes digits the way an ISIN's do before its Luhn check:
a digit stays itself, a letter A–Z becomes 10–35 (case is ignored), and
'-', '.', '_' become 36, 37, 38. The Luhn check digit of that digit string
is the fourth field. So any single mistyped digit anywhere in the scan line
(the check digit included) makes the check fail, and so do most adjacent
transpositions; the lockbox import then refuses the row and names it.

Pure functions, no database: tested exhaustively with hypothesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

AMOUNT_DIGITS = 10
NO_ACCOUNT = "0"
_SYMBOLS = {"-": 36, ".": 37, "_": 38}
_FIELD = re.compile(r"^[A-Za-z0-9._-]+$")

BAD_SHAPE = (
    "the scan line {text!r} is not four fields: account, loan number, "
    "amount in cents (10 digits) and a check digit"
)
BAD_AMOUNT = "the scan line's amount {text!r} is not 10 digits of cents"
BAD_CHECK_DIGIT = (
    "the scan line's check digit {given} does not match its fields: "
    "it was misread or mistyped"
)
BAD_CHARACTER = "{what} {text!r} may contain only letters, digits, '-', '_' and '.'"


def expand(text: str) -> str:
    """The payload as the digit string the Luhn check runs over."""
    out = []
    for char in text.upper():
        if char.isdigit() and char.isascii():
            out.append(char)
        elif "A" <= char <= "Z":
            out.append(str(ord(char) - ord("A") + 10))
        elif char in _SYMBOLS:
            out.append(str(_SYMBOLS[char]))
        else:
            raise ValueError(f"{char!r} can't be in a scan line")
    return "".join(out)


def luhn_digit(digits: str) -> int:
    """The digit that, appended to `digits`, makes a valid Luhn number."""
    total = 0
    # From the right, the digit next to the (future) check digit is doubled.
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def is_luhn_valid(digits: str) -> bool:
    return bool(digits) and luhn_digit(digits[:-1]) == int(digits[-1])


def check_digit(account: str, loan_number: str, cents: int) -> int:
    return luhn_digit(expand(f"{account}{loan_number}{cents:0{AMOUNT_DIGITS}d}"))


def amount_cents(amount: Decimal) -> int:
    cents = amount * 100
    if cents != cents.to_integral_value() or cents < 0:
        raise ValueError(f"{amount} is not a whole, non-negative number of cents")
    return int(cents)


def scan_line(account: str, loan_number: str, amount: Decimal) -> str:
    """The scan line printed on a coupon for `amount` (dollars and cents)."""
    account = account or NO_ACCOUNT
    for what, value in (("account", account), ("loan number", loan_number)):
        if not _FIELD.match(value):
            raise ValueError(BAD_CHARACTER.format(what=what, text=value))
    cents = amount_cents(amount)
    if cents >= 10**AMOUNT_DIGITS:
        raise ValueError(f"{amount} is too large for a scan line")
    digit = check_digit(account, loan_number, cents)
    return f"{account} {loan_number} {cents:0{AMOUNT_DIGITS}d} {digit}"


@dataclass(frozen=True)
class ScanLine:
    account: str
    loan_number: str
    cents: int

    @property
    def amount(self) -> Decimal:
        return Decimal(self.cents) / 100

    @property
    def has_account(self) -> bool:
        return self.account != NO_ACCOUNT


def parse_scan_line(text: str) -> ScanLine:
    """Read a scan line back, or raise ValueError saying what is wrong with it
    (the message names the field; the import adds the row)."""
    fields = text.split()
    if len(fields) != 4:
        raise ValueError(BAD_SHAPE.format(text=text.strip()))
    account, loan_number, amount, digit = fields
    for what, value in (("account", account), ("loan number", loan_number)):
        if not _FIELD.match(value):
            raise ValueError(BAD_CHARACTER.format(what=what, text=value))
    if len(amount) != AMOUNT_DIGITS or not (amount.isdigit() and amount.isascii()):
        raise ValueError(BAD_AMOUNT.format(text=amount))
    if len(digit) != 1 or not (digit.isdigit() and digit.isascii()):
        raise ValueError(BAD_SHAPE.format(text=text.strip()))
    cents = int(amount)
    expected = check_digit(account, loan_number, cents)
    if expected != int(digit):
        raise ValueError(BAD_CHECK_DIGIT.format(given=digit))
    return ScanLine(account=account, loan_number=loan_number, cents=cents)
