"""Review intervals and freshness: when a page or dated record is due, and whether it is fresh, due soon or overdue."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Mapping

FRESH, DUE_SOON, OVERDUE = "fresh", "due-soon", "overdue"
STATUS_LABELS = {FRESH: "Fresh", DUE_SOON: "Due soon", OVERDUE: "Overdue"}
INTERVAL_HINT = "write days such as 90d, or an ISO-8601 duration such as P3M or P1Y"
# The longest review interval (and due-soon window) accepted: 100 years, so every due date stays a real date.
MAX_INTERVAL_MONTHS = 1200
MAX_INTERVAL_DAYS = 36525
_MAX_DIGITS = 12
_INTERVAL = re.compile(r"(?P<plain>[1-9][0-9]*)d|P(?=[0-9])(?:(?P<years>[0-9]+)Y)?(?:(?P<months>[0-9]+)M)?"
                       r"(?:(?P<weeks>[0-9]+)W)?(?:(?P<days>[0-9]+)D)?")


@dataclass(frozen=True)
class Interval:
    """A review interval as whole calendar months plus days (a year is 12 months, a week 7 days)."""

    months: int
    days: int

    # The date this interval after start; a month step that lands past a month's end stops on its last day, and a
    # date past the calendar's end (year 9999) stops on its last day.
    def after(self, start: date) -> date:
        month_index = start.year * 12 + start.month - 1 + self.months
        year, month = divmod(month_index, 12)
        if year > date.max.year:
            return date.max
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        try:
            return date(year, month + 1, day) + timedelta(days=self.days)
        except OverflowError:
            return date.max


# Parse `90d` or an ISO-8601 date duration such as `P3M`; ValueError explains what is wrong.
def parse_interval(text: object) -> Interval:
    match = _INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{_shown(text)} is not a review interval")
    if any(len(group) > _MAX_DIGITS for group in match.groups() if group):
        raise ValueError(f"{_shown(text)} is longer than 100 years")
    if match["plain"]:
        interval = Interval(0, int(match["plain"]))
    else:
        parts = {name: int(match[name] or 0) for name in ("years", "months", "weeks", "days")}
        interval = Interval(parts["years"] * 12 + parts["months"], parts["weeks"] * 7 + parts["days"])
    if interval == Interval(0, 0):
        raise ValueError(f"{_shown(text)} is a zero-length review interval")
    if interval.months + interval.days / 30.4375 > MAX_INTERVAL_MONTHS or interval.days > MAX_INTERVAL_DAYS:
        raise ValueError(f"{_shown(text)} is longer than 100 years")
    return interval


# An interval as quoted in a message, cut short when an editor pasted something long.
def _shown(text: object) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# Today's date for freshness: the UTC date of SOURCE_DATE_EPOCH when set (reproducible builds), else the real date.
def today_from(environ: Mapping[str, str]) -> date:
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    problem = f"SOURCE_DATE_EPOCH={_shown(epoch)} is not a whole number of seconds since 1970-01-01 UTC"
    if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > _MAX_DIGITS:
        raise ValueError(problem + (" (it is too large)" if epoch.isascii() and epoch.isdigit() else ""))
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise ValueError(problem + " (it is out of range)") from None


# fresh, due-soon (due on or before today + window) or overdue (today is past the due date).
def review_status(due: date, today: date, window: Interval) -> str:
    if today > due:
        return OVERDUE
    return DUE_SOON if window.after(today) >= due else FRESH


# A date as readers see it, e.g. "2 November 2026".
def long_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
