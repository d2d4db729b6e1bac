"""Periods of the figures (R21): a day ``2026-11-26``, an ISO week ``2026-W48``, a month ``2026-11`` and a
quarter ``2026-Q4`` (API.md "periods").

A ``Period`` is a run of whole calendar days, ``first`` to ``last`` included. Its bounds as moments are
midnights in the organisation's time zone (``settings.TIME_ZONE``, Asia/Shanghai by default, R2):
``start`` included, ``end`` (the midnight after ``last``) excluded, so an event belongs to exactly one
day, week, month and quarter on every database. ISO weeks run Monday to Sunday and belong to the ISO
year (``2026-W53`` is 28 December 2026 to 3 January 2027; ``2025-W53`` does not exist).

The API takes years from ``MIN_YEAR`` to ``MAX_YEAR``: anything else is a typing mistake, and keeping
away from the calendar's ends means bounds, ``previous()`` and ``next()`` always exist. Malformed text raises a
``ValidationError`` with the message under ``period`` (a 400 in the API, never a 500).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from salesops.core.clock import day_start, local_today
from salesops.organisation.workcal import WorkCalendar, month_bounds

MIN_YEAR = 1900
MAX_YEAR = 2999
ONE_DAY = dt.timedelta(days=1)

_PATTERN = re.compile(
    r"(?P<year>\d{4})-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|W(?P<week>\d{2})|Q(?P<quarter>\d))", re.ASCII
)


class PeriodKind(StrEnum):
    """The four lengths of R21, with the words the API uses for them."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


def _invalid(text: str) -> ValidationError:
    return ValidationError(
        {
            "period": _("%(text)s is not a period: give a day 2026-11-26, an ISO week 2026-W48, a month 2026-11 "
                        "or a quarter 2026-Q4 (years %(min)d to %(max)d).")
            % {"text": text[:20], "min": MIN_YEAR, "max": MAX_YEAR}
        },
        code="invalid",
    )


@dataclass(frozen=True, order=True)
class Period:
    """A day, ISO week, month or quarter: ``first`` and ``last`` day included. Build one with ``parse``,
    ``containing`` or the ``day``/``week``/``month``/``quarter`` constructors, never by hand."""

    first: dt.date
    last: dt.date
    kind: PeriodKind

    # --- construction -------------------------------------------------------------------------------------
    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(day, day, PeriodKind.DAY)

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ISO year ``year`` (Monday to Sunday); ValueError when it does not exist."""
        monday = dt.date.fromisocalendar(year, week, 1)
        return cls(monday, monday + dt.timedelta(days=6), PeriodKind.WEEK)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first, last = month_bounds(year, month)
        return cls(first, last, PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} outside 1-4")
        first_month = (quarter - 1) * 3 + 1
        return cls(dt.date(year, first_month, 1), month_bounds(year, first_month + 2)[1], PeriodKind.QUARTER)

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: dt.date) -> Period:
        """The period of ``kind`` that ``day`` falls in (a week: the ISO week, whose year may differ)."""
        kind = PeriodKind(kind)
        if kind == PeriodKind.DAY:
            return cls.day(day)
        if kind == PeriodKind.WEEK:
            iso = day.isocalendar()
            return cls.week(iso.year, iso.week)
        if kind == PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period an API word names: ``2026-11-26``, ``2026-W48``, ``2026-11`` or ``2026-Q4``.
        Anything else (``2026-13``, ``2026-W54``, ``2025-W53``, ``2026-Q5``, ``9999-12``) raises ``ValidationError``."""
        found = _PATTERN.fullmatch(text) if isinstance(text, str) and len(text) <= 10 else None
        if found is None:
            raise _invalid(str(text))
        year = int(found["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise _invalid(text)
        try:
            if found["week"]:
                return cls.week(year, int(found["week"]))
            if found["quarter"]:
                return cls.quarter(year, int(found["quarter"]))
            if found["day"]:
                return cls.day(dt.date(year, int(found["month"]), int(found["day"])))
            return cls.month(year, int(found["month"]))
        except ValueError:
            raise _invalid(text) from None

    # --- words and moments --------------------------------------------------------------------------------
    def __str__(self) -> str:
        """The API word: ``2026-11-26``, ``2026-W48``, ``2026-11`` or ``2026-Q4``."""
        if self.kind == PeriodKind.DAY:
            return self.first.isoformat()
        if self.kind == PeriodKind.WEEK:
            iso = self.first.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"

    @property
    def start(self) -> dt.datetime:
        """Midnight starting ``first`` in the organisation's time zone (included)."""
        return day_start(self.first)

    @property
    def end(self) -> dt.datetime:
        """Midnight after ``last`` in the organisation's time zone (excluded)."""
        return day_start(self.last + ONE_DAY)

    def __contains__(self, moment: dt.date | dt.datetime) -> bool:
        """A date inside ``first``-``last``; an aware moment inside ``start``-``end``."""
        if isinstance(moment, dt.datetime):
            return self.start <= moment < self.end
        return self.first <= moment <= self.last

    # --- neighbours and days ------------------------------------------------------------------------------
    def previous(self) -> Period:
        """The period of the same kind just before (R24: 环比)."""
        return Period.containing(self.kind, self.first - ONE_DAY)

    def next(self) -> Period:
        return Period.containing(self.kind, self.last + ONE_DAY)

    def days(self) -> Iterator[dt.date]:
        """Every calendar day of the period, in order."""
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY

    def workdays(self, calendar: WorkCalendar) -> list[dt.date]:
        """The working days of the period under the working calendar (R2: holidays, 调休, company days);
        pass ``organisation.selectors.work_calendar()``."""
        return [day for day in self.days() if calendar.is_workday(day)]


def current(kind: PeriodKind | str = PeriodKind.MONTH, today: dt.date | None = None) -> Period:
    """The period of ``kind`` containing today (organisation time zone) or ``today``."""
    return Period.containing(kind, today or local_today())
