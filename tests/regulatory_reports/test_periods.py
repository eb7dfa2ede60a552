"""Reporting periods: months, calendar quarters and fiscal years (starting
in October unless set otherwise); a period that has not ended is refused."""

from datetime import date

from django.core.exceptions import ValidationError

import pytest

from regulatory_reports.periods import parse_period, period_bounds

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-07", "2026-07", date(2026, 7, 1), date(2026, 7, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q3", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("FY2026", "FY2026", date(2025, 10, 1), date(2026, 9, 30)),
        (" fy2025 ", "FY2025", date(2024, 10, 1), date(2025, 9, 30)),
    ],
)
def test_each_form_names_its_first_and_last_day(text, label, start, end):
    period = parse_period(text, today=TODAY)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_the_fiscal_year_start_month_is_a_setting(settings):
    settings.REPORTS_FISCAL_YEAR_START_MONTH = 7
    period = period_bounds("FY2026")
    assert (period.start, period.end) == (date(2025, 7, 1), date(2026, 6, 30))
    settings.REPORTS_FISCAL_YEAR_START_MONTH = 1
    period = period_bounds("FY2026")
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026", "“2026” is not a period."),
        ("2026-13", "There is no month 13 in a year."),
        ("2026-Q5", "A year has quarters Q1 to Q4."),
        ("Q3-2026", "“Q3-2026” is not a period."),
        ("", "“” is not a period."),
        ("1985-01", "1985-01 is before any loan this system holds"),
    ],
)
def test_a_malformed_period_is_refused_on_the_period_field(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_period(text, today=TODAY)
    assert message in refused.value.message_dict["period"][0]


@pytest.mark.parametrize("text", ["2026-11", "2026-Q4", "FY2027", "2027-01"])
def test_a_period_that_has_not_ended_is_refused(text):
    with pytest.raises(ValidationError) as refused:
        parse_period(text, today=TODAY)
    assert "has not ended yet" in refused.value.message_dict["period"][0]


def test_a_period_may_be_reported_from_the_day_after_its_last_day():
    assert parse_period("2026-10", today=date(2026, 11, 1)).label == "2026-10"
    with pytest.raises(ValidationError):
        parse_period("2026-10", today=date(2026, 10, 31))
