"""Review intervals, due dates, statuses and "today" from SOURCE_DATE_EPOCH."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costhub.review.freshness import DUE_SOON, FRESH, OVERDUE, Interval, long_date, parse_interval, review_status, today_from

MONTH = Interval(1, 0)
THIRTY_DAYS = Interval(0, 30)


@pytest.mark.parametrize(("text", "expected"), [
    ("90d", Interval(0, 90)),
    ("1d", Interval(0, 1)),
    ("P3M", Interval(3, 0)),
    ("P1Y", Interval(12, 0)),
    ("P2W", Interval(0, 14)),
    ("P10D", Interval(0, 10)),
    ("P1Y2M3W4D", Interval(14, 25)),
])
def test_intervals_parse_as_days_or_iso_durations(text: str, expected: Interval) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["90", "3 months", "90 d", "90D", "0d", "P", "P0D", "P0Y0M", "PT1H", "P1.5M", "p3m", "", 90, None])
def test_ambiguous_or_malformed_intervals_are_refused(text: object) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_month_steps_stop_at_the_end_of_short_months() -> None:
    assert MONTH.after(date(2027, 1, 31)) == date(2027, 2, 28)
    assert MONTH.after(date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_interval("P1Y").after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert parse_interval("P1M1D").after(date(2026, 12, 31)) == date(2027, 2, 1)
    assert parse_interval("P3M").after(date(2026, 11, 2)) == date(2027, 2, 2)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)), st.integers(1, 5000))
def test_day_intervals_are_plain_day_counts(start: date, days: int) -> None:
    assert parse_interval(f"{days}d").after(start) == start + timedelta(days=days)
    assert parse_interval(f"P{days}D").after(start) == start + timedelta(days=days)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)), st.integers(1, 120))
def test_month_intervals_land_in_the_right_month_and_never_go_back(start: date, months: int) -> None:
    due = Interval(months, 0).after(start)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day <= start.day and due > start


def test_status_boundaries() -> None:
    due = date(2027, 1, 31)
    assert review_status(due, date(2026, 12, 31), THIRTY_DAYS) == FRESH
    assert review_status(due, date(2027, 1, 1), THIRTY_DAYS) == DUE_SOON
    assert review_status(due, due, THIRTY_DAYS) == DUE_SOON
    assert review_status(due, date(2027, 2, 1), THIRTY_DAYS) == OVERDUE


def test_today_comes_from_source_date_epoch_as_a_utc_date() -> None:
    late_evening_utc = int(datetime(2027, 3, 4, 23, 59, tzinfo=timezone.utc).timestamp())
    assert today_from({"SOURCE_DATE_EPOCH": str(late_evening_utc)}) == date(2027, 3, 4)
    assert today_from({"SOURCE_DATE_EPOCH": "0"}) == date(1970, 1, 1)


def test_today_without_source_date_epoch_is_the_real_date() -> None:
    assert today_from({}) == date.today()
    assert today_from({"SOURCE_DATE_EPOCH": ""}) == date.today()


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5e9"])
def test_malformed_source_date_epoch_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        today_from({"SOURCE_DATE_EPOCH": value})


def test_long_dates_read_naturally() -> None:
    assert long_date(date(2026, 11, 2)) == "2 November 2026"
