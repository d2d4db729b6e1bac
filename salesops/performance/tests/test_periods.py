"""Periods (R21, API.md "periods"): parsing, words, bounds in Asia/Shanghai, neighbours and working days."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from salesops.organisation.workcal import WorkCalendar
from salesops.performance.periods import MAX_YEAR, MIN_YEAR, Period, PeriodKind

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
KINDS = list(PeriodKind)
dates = st.dates(min_value=D(MIN_YEAR, 1, 8), max_value=D(MAX_YEAR, 12, 24))


@pytest.mark.parametrize(
    ("text", "first", "last", "kind"),
    [
        ("2026-11-26", D(2026, 11, 26), D(2026, 11, 26), PeriodKind.DAY),
        ("2026-W48", D(2026, 11, 23), D(2026, 11, 29), PeriodKind.WEEK),
        ("2026-11", D(2026, 11, 1), D(2026, 11, 30), PeriodKind.MONTH),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), PeriodKind.QUARTER),
        ("2026-W53", D(2026, 12, 28), D(2027, 1, 3), PeriodKind.WEEK),  # 2026 has 53 ISO weeks
        ("2027-W01", D(2027, 1, 4), D(2027, 1, 10), PeriodKind.WEEK),
        ("2025-W01", D(2024, 12, 30), D(2025, 1, 5), PeriodKind.WEEK),  # ISO year starts in December
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), PeriodKind.MONTH),  # leap year
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), PeriodKind.QUARTER),
        ("2024-02-29", D(2024, 2, 29), D(2024, 2, 29), PeriodKind.DAY),
    ],
)
def test_parse_names_the_period(text, first, last, kind):
    period = Period.parse(text)
    assert (period.first, period.last, period.kind) == (first, last, kind)
    assert str(period) == text


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "2026-W54", "2025-W53", "2026-W00", "2026-Q5", "2026-Q0", "9999-12", "0001-01",
     "2026-02-30", "2026-1", "26-11", "2026-w48", "2026-q4", "2026/11", "2026-11-26T00:00", " 2026-11", "",
     "org", "2026-W4８", "２０２６-11", "1899-12", "3000-01", "2026-11-26\n", "2026-11\n"],
)
def test_malformed_periods_are_a_validation_error_under_period(text):
    with pytest.raises(ValidationError) as raised:
        Period.parse(text)
    assert list(raised.value.message_dict) == ["period"]


def test_bounds_are_shanghai_midnights():
    period = Period.parse("2026-11")
    assert period.start == dt.datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert period.end == dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert period.start.astimezone(dt.UTC) == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)
    # 23:59 Shanghai on the last day is inside; 00:00 of the next day is not; 23:30 UTC of 30 Nov is 1 Dec
    assert dt.datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI) in period
    assert dt.datetime(2026, 12, 1, tzinfo=SHANGHAI) not in period
    assert dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC) not in period
    assert dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC) in period
    assert D(2026, 11, 30) in period and D(2026, 12, 1) not in period


@pytest.mark.parametrize(
    ("text", "previous"),
    [("2026-01-01", "2025-12-31"), ("2027-W01", "2026-W53"), ("2026-W01", "2025-W52"), ("2026-01", "2025-12"),
     ("2026-03", "2026-02"), ("2026-Q1", "2025-Q4"), ("2026-Q3", "2026-Q2")],
)
def test_previous_period(text, previous):
    assert str(Period.parse(text).previous()) == previous
    assert str(Period.parse(previous).next()) == text


def test_working_days_of_a_period_follow_the_calendar():
    """October 2026: National Day 1-7 off, 10 October (a Saturday) worked (R2)."""
    days = Period.parse("2026-10").workdays(WorkCalendar())
    assert days[:3] == [D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)]
    assert D(2026, 10, 11) not in days and days[-1] == D(2026, 10, 30)
    assert len(days) == 18  # 8, 9, 10 and three full weeks
    company = WorkCalendar(company_days={D(2026, 10, 12): False, D(2026, 10, 31): True})
    assert len(Period.parse("2026-10").workdays(company)) == 18
    assert D(2026, 10, 31) in Period.parse("2026-10").workdays(company)


@given(day=dates, kind=st.sampled_from(KINDS))
def test_the_containing_period_holds_the_day_and_reads_back(day, kind):
    period = Period.containing(kind, day)
    assert period.first <= day <= period.last
    assert day in period
    assert Period.parse(str(period)) == period
    days = list(period.days())
    assert days[0] == period.first and days[-1] == period.last
    assert all(b - a == dt.timedelta(days=1) for a, b in pairwise(days))
    shortest, longest = {"day": (1, 1), "week": (7, 7), "month": (28, 31), "quarter": (90, 92)}[kind]
    assert shortest <= len(days) <= longest


@given(day=dates, kind=st.sampled_from(KINDS))
def test_periods_of_a_kind_tile_time(day, kind):
    """Consecutive periods touch: no day and no moment belongs to two of them or to none."""
    period = Period.containing(kind, day)
    before, after = period.previous(), period.next()
    assert before.last + dt.timedelta(days=1) == period.first
    assert period.last + dt.timedelta(days=1) == after.first
    assert before.end == period.start and period.end == after.start
    assert before.kind == after.kind == kind
    assert Period.containing(kind, period.first) == Period.containing(kind, period.last) == period


@given(day=dates)
def test_iso_weeks_match_the_iso_calendar(day):
    week = Period.containing(PeriodKind.WEEK, day)
    iso = day.isocalendar()
    assert str(week) == f"{iso.year:04d}-W{iso.week:02d}"
    assert week.first.weekday() == 0 and week.last.weekday() == 6
    # the month and quarter of the day hold it too, and the quarter holds the month
    month = Period.containing(PeriodKind.MONTH, day)
    quarter = Period.containing(PeriodKind.QUARTER, day)
    assert quarter.first <= month.first and month.last <= quarter.last


@given(day=dates, kind=st.sampled_from(KINDS))
def test_start_and_end_are_24_hour_days_in_shanghai(day, kind):
    period = Period.containing(kind, day)
    assert period.end - period.start == dt.timedelta(days=len(list(period.days())))
    assert period.start.astimezone(SHANGHAI).time() == dt.time.min
