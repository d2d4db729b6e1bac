"""The working calendar (R2): which days are working days.

Order of precedence for a date: the company's own day (CalendarDay) first, then the mainland China
calendar from the ``holidays`` package (statutory holidays, their 休息日, and the make-up working
weekends 调休 where published), then Monday-Friday. Years whose 调休 are not published yet (e.g. 2027
before the State Council's notice) still get their statutory holidays; the admin adds make-up days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import lru_cache

import holidays
from django.utils import timezone, translation


@lru_cache(maxsize=64)
def _china(year: int, language: str = "zh_CN") -> holidays.HolidayBase:
    """The national calendar of one year, built once (holidays expands years lazily otherwise)."""
    return holidays.China(years=year, language=language)


def national_holiday_name(day: dt.date) -> str | None:
    """The statutory holiday's name in the active language (zh-Hans → 春节, en → Spring Festival)."""
    lang = "en_US" if (translation.get_language() or "zh-hans").startswith("en") else "zh_CN"
    name = _china(day.year, lang).get(day)
    return str(name) if name else None


def national_makeup_workdays(year: int) -> list[dt.date]:
    """The weekends the state turned into working days (调休) in ``year``; empty when not published."""
    return sorted(d for d in _china(year).weekend_workdays if d.year == year)


def makeup_days_published(year: int) -> bool:
    return bool(national_makeup_workdays(year))


class WorkCalendar:
    """Working-day arithmetic over the national calendar plus the company's own days."""

    def __init__(self, company_days: Mapping[dt.date, bool] | None = None) -> None:
        # company_days: date -> True (extra working day) / False (company day off)
        self.company_days = dict(company_days or {})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.company_days:
            return self.company_days[day]
        cal = _china(day.year)
        if day in cal:
            return False
        if day.weekday() >= 5:
            return day in cal.weekend_workdays
        return True

    def why(self, day: dt.date) -> str:
        """A short reason code: company_day_off, company_workday, holiday, makeup_workday, weekend, workday."""
        if day in self.company_days:
            return "company_workday" if self.company_days[day] else "company_day_off"
        cal = _china(day.year)
        if day in cal:
            return "holiday"
        if day.weekday() >= 5:
            return "makeup_workday" if day in cal.weekend_workdays else "weekend"
        return "workday"

    def next_workday(self, day: dt.date, n: int = 1) -> dt.date:
        """The n-th working day after ``day`` (not counting ``day`` itself)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                n -= 1
        return current

    def previous_workday(self, day: dt.date, n: int = 1) -> dt.date:
        """The n-th working day before ``day``."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current -= dt.timedelta(days=1)
            if self.is_workday(current):
                n -= 1
        return current

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """``day`` moved by n working days (n may be negative; 0 returns ``day`` unchanged)."""
        if n == 0:
            return day
        return self.next_workday(day, n) if n > 0 else self.previous_workday(day, -n)

    def days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        current = start
        while current <= end:
            yield current
            current += dt.timedelta(days=1)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included; 0 when end is before start."""
        return sum(1 for d in self.days(start, end) if self.is_workday(d))

    def workdays_in_month(self, year: int, month: int) -> list[dt.date]:
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return [d for d in self.days(first, last) if self.is_workday(d)]

    def workdays_left_in_month(self, day: dt.date) -> int:
        """Working days from ``day`` (included) to the month's end: what is left to hit a monthly target."""
        last = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return self.workdays_between(day, last)


def local_today() -> dt.date:
    """Today in the organisation's time zone (Asia/Shanghai by default)."""
    return timezone.localdate()
