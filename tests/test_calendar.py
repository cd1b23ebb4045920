"""Tests for hetong.calendar: 民法典 第201–203条 period arithmetic and the §0.4 version switches.

Holiday facts are checked against ``chinese_calendar`` itself rather than written down from memory.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hetong.calendar import (
    HOLIDAY_YEARS,
    PAYMENT_ACT_ARTICLES,
    DueDate,
    add_period,
    is_working_day,
    payment_act_article,
    payment_act_version,
    vat_place_article,
    vat_version,
)

COVERED = st.dates(min_value=date(HOLIDAY_YEARS[0], 1, 1), max_value=date(HOLIDAY_YEARS[1], 9, 1))


def _nth_workday_reference(anchor: date, n: int) -> date:
    """The n-th working day after ``anchor`` according to chinese_calendar's own list."""
    end = min(anchor + dt.timedelta(days=4 * n + 30), date(HOLIDAY_YEARS[1], 12, 31))
    return chinese_calendar.get_workdays(anchor + dt.timedelta(days=1), end)[n - 1]


def test_holiday_years_read_from_package() -> None:
    assert HOLIDAY_YEARS == (2004, 2026)
    assert is_working_day(date(HOLIDAY_YEARS[0] - 1, 6, 2)) is None
    assert is_working_day(date(HOLIDAY_YEARS[1] + 1, 6, 2)) is None


def test_national_day_2025_workdays_cross_holiday_and_makeup_saturdays() -> None:
    # The facts the result depends on, taken from the package: the make-up days work, the holiday rests.
    assert chinese_calendar.is_workday(date(2025, 9, 28)) and date(2025, 9, 28).weekday() == 6
    assert chinese_calendar.is_workday(date(2025, 10, 11)) and date(2025, 10, 11).weekday() == 5
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    due = add_period(date(2025, 9, 26), 10, "workday")
    assert due == DueDate(_nth_workday_reference(date(2025, 9, 26), 10), True, None)
    assert due.date == date(2025, 10, 16)
    assert is_working_day(date(2025, 9, 28)) is True
    assert is_working_day(date(2025, 10, 3)) is False


def test_month_without_corresponding_day_ends_on_month_end() -> None:
    assert add_period(date(2025, 1, 31), 1, "month").date == date(2025, 2, 28)
    assert add_period(date(2024, 1, 31), 1, "month").date == date(2024, 2, 29)
    assert add_period(date(2024, 2, 29), 1, "year").date == date(2025, 2, 28)


def test_sunday_end_moves_to_monday() -> None:
    anchor = date(2025, 3, 9)  # 7 days later is Sunday 2025-03-16, an ordinary weekend
    assert (anchor + dt.timedelta(days=7)).weekday() == 6
    assert not chinese_calendar.is_workday(date(2025, 3, 16))
    due = add_period(anchor, 7, "day")
    assert due.date == date(2025, 3, 17)
    assert due.exact
    assert due.note is not None and "第203条" in due.note


def test_first_day_not_counted_and_no_shift_on_a_friday() -> None:
    # D.5: 2025-03-12 + 30 days = 2025-04-11, a Friday.
    assert add_period(date(2025, 3, 12), 30, "day") == DueDate(date(2025, 4, 11), True, None)
    assert add_period(date(2025, 3, 12), 1, "day").date == date(2025, 3, 13)


def test_holiday_end_moves_past_the_whole_holiday() -> None:
    due = add_period(date(2025, 9, 21), 10, "day")  # 2025-10-01, National Day
    expected = date(2025, 10, 1)
    while not chinese_calendar.is_workday(expected):
        expected += dt.timedelta(days=1)
    assert due.date == expected == date(2025, 10, 9)


def test_week_and_zero_periods() -> None:
    assert add_period(date(2025, 3, 3), 2, "week").date == date(2025, 3, 17)
    assert add_period(date(2025, 3, 8), 0, "day") == DueDate(date(2025, 3, 8), True, None)


def test_outside_calendar_is_inexact_with_year_in_note() -> None:
    due = add_period(date(2028, 3, 1), 10, "workday")
    assert due.exact is False
    assert due.note is not None and "2028" in due.note
    assert due.date == date(2028, 3, 15)  # weekends-only fallback: 10 weekdays
    day = add_period(date(2028, 5, 2), 1, "day")  # Wednesday: no shift, still unknown holiday status
    assert day.date == date(2028, 5, 3) and not day.exact and "2028" in (day.note or "")


def test_crossing_out_of_the_calendar_is_inexact() -> None:
    due = add_period(date(HOLIDAY_YEARS[1], 12, 20), 15, "workday")
    assert not due.exact and str(HOLIDAY_YEARS[1] + 1) in (due.note or "")


@pytest.mark.parametrize(("value", "unit"), [(-1, "day"), (3, "hour"), (3, "fortnight")])
def test_invalid_input_raises_value_error(value: int, unit: str) -> None:
    with pytest.raises(ValueError):
        add_period(date(2025, 1, 1), value, unit)


@settings(max_examples=60, deadline=None)
@given(anchor=COVERED, n=st.integers(min_value=1, max_value=40))
def test_workdays_match_chinese_calendar(anchor: date, n: int) -> None:
    due = add_period(anchor, n, "workday")
    if due.exact:
        assert due.date == _nth_workday_reference(anchor, n)


@settings(max_examples=60, deadline=None)
@given(anchor=COVERED, n=st.integers(min_value=1, max_value=400), unit=st.sampled_from(["day", "month"]))
def test_period_ends_on_working_day_not_before_nominal_end(anchor: date, n: int, unit: str) -> None:
    due = add_period(anchor, n, unit)
    assert due.date > anchor
    if due.exact:
        assert chinese_calendar.is_workday(due.date)
    if unit == "day":
        assert due.date >= anchor + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("sign", "expected"),
    [
        (date(2020, 8, 31), "none"),
        (date(2020, 9, 1), "2020"),
        (date(2025, 5, 31), "2020"),
        (date(2025, 6, 1), "2025"),
        (date(2026, 1, 1), "2025"),
    ],
)
def test_payment_act_version_switch_dates(sign: date, expected: str) -> None:
    assert payment_act_version(sign, today=date(2030, 1, 1)) == expected


def test_payment_act_version_missing_sign_date_uses_today() -> None:
    assert payment_act_version(None, today=date(2025, 5, 31)) == "2020"
    assert payment_act_version(None, today=date(2025, 6, 1)) == "2025"
    assert payment_act_version(None, today=date(2019, 1, 1)) == "none"


def test_payment_act_articles() -> None:
    assert PAYMENT_ACT_ARTICLES["late_payment_interest"] == {"2020": "第15条", "2025": "第17条"}
    assert "2020" not in PAYMENT_ACT_ARTICLES["settlement_confirmation_start"]
    assert (
        payment_act_article("payment_period_30_60_days", date(2025, 7, 1), date(2025, 7, 1))
        == "保障中小企业款项支付条例(2025) 第9条第1款"
    )
    deposit = payment_act_article("deposit", date(2021, 1, 1), date(2025, 7, 1))
    assert deposit == "保障中小企业款项支付条例(2020) 第12条"
    assert payment_act_article("settlement_confirmation_start", date(2021, 1, 1), date(2025, 7, 1)) is None
    assert payment_act_article("deposit", date(2019, 1, 1), date(2025, 7, 1)) is None


def test_vat_switch() -> None:
    assert vat_version(date(2025, 12, 31), date(2027, 1, 1)) == "interim_regulation"
    assert vat_version(date(2026, 1, 1), date(2020, 1, 1)) == "vat_law"
    assert vat_version(None, date(2026, 1, 1)) == "vat_law"
    assert vat_place_article(date(2025, 12, 31), date(2027, 1, 1)) == "增值税暂行条例 第22条"
    assert vat_place_article(date(2026, 1, 2), date(2027, 1, 1)) == "增值税法 第29条"
