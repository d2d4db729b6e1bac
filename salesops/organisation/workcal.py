"""The working calendar (R2): which days are working days, and why.

Order of precedence for a date: the company's own day (CalendarDay) first, then the mainland China
calendar from the ``holidays`` package (statutory holidays, their 休息日, and the make-up working
weekends 调休 where published), then Monday-Friday. Years whose 调休 are not published yet (e.g. 2027
before the State Council's notice) still get their statutory holidays; the admin adds make-up days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import holidays
from django.utils import translation
from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)
# The State Council publishes the 休息日 of a make-up day under this label (holidays' own zh_CN text).
_SUBSTITUTED_LABEL_ZH = "休息日（由 {date:%Y-%m-%d} 调休）"
_SUBSTITUTED_PREFIX_ZH = "休息日（由 "


class Reason(StrEnum):
    """Why a day is or is not a working day; the values are API words (API.md calendar)."""

    COMPANY_DAY_OFF = "company_day_off"
    COMPANY_WORKDAY = "company_workday"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    WEEKEND = "weekend"
    WORKDAY = "workday"


@dataclass(frozen=True)
class DayInfo:
    """One day of the calendar as pages and the API show it."""

    date: dt.date
    is_workday: bool
    reason: Reason
    name: str


def _holidays_language() -> str:
    """The ``holidays`` language for the active Django language (English or Simplified Chinese)."""
    return "en_US" if (translation.get_language() or "zh-hans").startswith("en") else "zh_CN"


@lru_cache(maxsize=128)
def _china(year: int, language: str = "zh_CN", observed: bool = True) -> holidays.HolidayBase:
    """The national calendar of one year, built once (holidays expands years lazily otherwise)."""
    return holidays.China(years=year, language=language, observed=observed)


def _national_off(day: dt.date) -> bool:
    """True when the national calendar alone (no company days) makes ``day`` a day off."""
    cal = _china(day.year)
    if day in cal:
        return True
    return day.weekday() >= 5 and day not in cal.weekend_workdays


def national_holiday_name(day: dt.date) -> str | None:
    """The statutory holiday's name in the active language (zh-Hans → 春节, en → Spring Festival)."""
    name = _china(day.year, _holidays_language()).get(day)
    return str(name) if name else None


def national_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The national days off of ``year`` (holidays, 补假 and 休息日 of 调休), named in the active language."""
    return sorted((day, str(name)) for day, name in _china(year, _holidays_language()).items() if day.year == year)


def national_makeup_workdays(year: int) -> list[dt.date]:
    """The weekends the state turned into working days (调休) in ``year``; empty when not published."""
    return sorted(d for d in _china(year).weekend_workdays if d.year == year)


def makeup_days_published(year: int) -> bool:
    """Whether the 调休 of ``year`` are known; before the State Council's notice only statutory days apply."""
    return bool(national_makeup_workdays(year))


def _is_substituted_rest_day(day: dt.date) -> bool:
    """True for a 休息日 the state moved from a make-up working day (not a holiday in its own right)."""
    return str(_china(day.year).get(day, "")).startswith(_SUBSTITUTED_PREFIX_ZH)


def _rest_day_of(workday: dt.date) -> dt.date | None:
    """The 休息日 a make-up working day pays for (it may fall in the next year, e.g. 元旦)."""
    label = _SUBSTITUTED_LABEL_ZH.format(date=workday)
    for year in (workday.year, workday.year + 1):
        for day, name in _china(year).items():
            if name == label:
                return day
    return None


def _break_names(rest_day: dt.date, language: str) -> list[str]:
    """Names of the statutory holidays in the break around ``rest_day`` (e.g. 国庆节、中秋节 in 2025)."""
    start = end = rest_day
    for _step in range(15):
        if not _national_off(start - ONE_DAY):
            break
        start -= ONE_DAY
    for _step in range(15):
        if not _national_off(end + ONE_DAY):
            break
        end += ONE_DAY
    names: list[str] = []
    day = start
    while day <= end:
        # observed=False leaves out 补假 and keeps plain names; the 休息日 of other 调休 are not holidays.
        name = _china(day.year, language, observed=False).get(day)
        if name and not _is_substituted_rest_day(day) and str(name) not in names:
            names.append(str(name))
        day += ONE_DAY
    return names


def makeup_workday_name(day: dt.date) -> str:
    """A make-up working day's name in the active language, naming the break it pays for."""
    rest_day = _rest_day_of(day)
    if rest_day is None:
        return _("Make-up working day")
    names = _break_names(rest_day, _holidays_language())
    if not names:
        return _("Make-up working day (the day off moves to %(date)s)") % {"date": rest_day.isoformat()}
    separator = ", " if _holidays_language() == "en_US" else "、"
    return _("Make-up working day for %(holiday)s (the day off moves to %(date)s)") % {
        "holiday": separator.join(names),
        "date": rest_day.isoformat(),
    }


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - ONE_DAY
    return first, last


class WorkCalendar:
    """Working-day arithmetic over the national calendar plus the company's own days."""

    def __init__(
        self, company_days: Mapping[dt.date, bool] | None = None, notes: Mapping[dt.date, str] | None = None
    ) -> None:
        # company_days: date -> True (extra working day) / False (company day off); notes: date -> the admin's note
        self.company_days = dict(company_days or {})
        self.notes = dict(notes or {})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.company_days:
            return self.company_days[day]
        return not _national_off(day)

    def why(self, day: dt.date) -> Reason:
        """The reason code: company_day_off, company_workday, holiday, makeup_workday, weekend, workday."""
        if day in self.company_days:
            return Reason.COMPANY_WORKDAY if self.company_days[day] else Reason.COMPANY_DAY_OFF
        cal = _china(day.year)
        if day in cal:
            return Reason.HOLIDAY
        if day.weekday() >= 5:
            return Reason.MAKEUP_WORKDAY if day in cal.weekend_workdays else Reason.WEEKEND
        return Reason.WORKDAY

    def name(self, day: dt.date) -> str:
        """What to call the day: the company's note, else the holiday or 调休 name; '' for ordinary days."""
        reason = self.why(day)
        if reason in (Reason.COMPANY_DAY_OFF, Reason.COMPANY_WORKDAY) and self.notes.get(day):
            return self.notes[day]
        if reason == Reason.MAKEUP_WORKDAY:
            return makeup_workday_name(day)
        return national_holiday_name(day) or ""

    def info(self, day: dt.date) -> DayInfo:
        return DayInfo(date=day, is_workday=self.is_workday(day), reason=self.why(day), name=self.name(day))

    def next_workday(self, day: dt.date, n: int = 1) -> dt.date:
        """The n-th working day after ``day`` (not counting ``day`` itself)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current += ONE_DAY
            if self.is_workday(current):
                n -= 1
        return current

    def previous_workday(self, day: dt.date, n: int = 1) -> dt.date:
        """The n-th working day before ``day``."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current -= ONE_DAY
            if self.is_workday(current):
                n -= 1
        return current

    def workday_on_or_after(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, else the next one: where a due date landing on a day off moves."""
        return day if self.is_workday(day) else self.next_workday(day)

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """``day`` moved by n working days (n may be negative; 0 returns ``day`` unchanged)."""
        if n == 0:
            return day
        return self.next_workday(day, n) if n > 0 else self.previous_workday(day, -n)

    def days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Every calendar day from ``start`` to ``end``, both included."""
        current = start
        while current <= end:
            yield current
            current += ONE_DAY

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included; 0 when end is before start."""
        return sum(1 for d in self.days(start, end) if self.is_workday(d))

    def workdays_in_month(self, year: int, month: int) -> list[dt.date]:
        first, last = month_bounds(year, month)
        return [d for d in self.days(first, last) if self.is_workday(d)]

    def workdays_left_in_month(self, day: dt.date) -> int:
        """Working days from ``day`` (included) to the month's end: what is left to hit a monthly target (R4)."""
        _first, last = month_bounds(day.year, day.month)
        return self.workdays_between(day, last)

    def workdays_per_month(self, year: int) -> list[int]:
        """Working days in each month of ``year``, January first (the calendar page's chart)."""
        return [len(self.workdays_in_month(year, month)) for month in range(1, 13)]

    def month(self, year: int, month: int) -> list[DayInfo]:
        """A month day by day, each day with whether it is worked, why, and its name."""
        first, last = month_bounds(year, month)
        return [self.info(d) for d in self.days(first, last)]

    def year(self, year: int) -> list[DayInfo]:
        return [self.info(d) for d in self.days(dt.date(year, 1, 1), dt.date(year, 12, 31))]

    def makeup_workdays(self, year: int) -> list[DayInfo]:
        """The year's national 调休 working days with their names (and whether the company kept them)."""
        return [self.info(d) for d in national_makeup_workdays(year)]

