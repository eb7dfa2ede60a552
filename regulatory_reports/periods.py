"""Reporting periods: `2026-07` (a month), `2026-Q3` (a calendar quarter),
`FY2026` (the utility's fiscal year, which starts in the month set by
`REPORTS_FISCAL_YEAR_START_MONTH`, default October: FY2026 is
2025-10-01..2026-09-30). Only a period that has ended may be reported."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

FORMAT_HELP = "Write the period as 2026-07 (a month), 2026-Q3 (a quarter) or FY2026."
NOT_A_PERIOD = "“{text}” is not a period. " + FORMAT_HELP
NOT_ENDED = "{label} has not ended yet (it ends on {end}); report it from {after}."
BAD_MONTH = "There is no month {month} in a year. " + FORMAT_HELP
BAD_QUARTER = "A year has quarters Q1 to Q4. " + FORMAT_HELP
TOO_EARLY = "{label} is before any loan this system holds (years from 1990)."

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$", re.IGNORECASE)
_FISCAL = re.compile(r"^FY(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    label: str  # canonical: 2026-07, 2026-Q3, FY2026
    start: date
    end: date  # inclusive

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year_start_month() -> int:
    return int(getattr(settings, "REPORTS_FISCAL_YEAR_START_MONTH", 10))


def period_bounds(text: str) -> Period:
    """The period a label names, or ValidationError on "period"."""
    raw = (text or "").strip()
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValidationError({"period": BAD_MONTH.format(month=month)})
        period = Period(
            f"{year:04d}-{month:02d}", date(year, month, 1), _month_end(year, month)
        )
    elif m := _QUARTER.match(raw):
        year, quarter = int(m[1]), int(m[2])
        if not 1 <= quarter <= 4:
            raise ValidationError({"period": BAD_QUARTER})
        first = 3 * (quarter - 1) + 1
        period = Period(
            f"{year:04d}-Q{quarter}", date(year, first, 1), _month_end(year, first + 2)
        )
    elif m := _FISCAL.match(raw):
        year = int(m[1])
        start_month = fiscal_year_start_month()
        if start_month == 1:
            start = date(year, 1, 1)
        else:
            start = date(year - 1, start_month, 1)
        end_month = (start_month - 2) % 12 + 1
        end_year = year if start_month != 1 else year
        period = Period(f"FY{year:04d}", start, _month_end(end_year, end_month))
    else:
        raise ValidationError({"period": NOT_A_PERIOD.format(text=raw[:20])})
    if period.start.year < 1990:
        raise ValidationError({"period": TOO_EARLY.format(label=period.label)})
    return period


def parse_period(text: str, *, today: date) -> Period:
    """A period that has ended by `today` (its last day is before today)."""
    period = period_bounds(text)
    if period.end >= today:
        after = date.fromordinal(period.end.toordinal() + 1)
        raise ValidationError(
            {
                "period": NOT_ENDED.format(
                    label=period.label,
                    end=period.end.isoformat(),
                    after=after.isoformat(),
                )
            }
        )
    return period
