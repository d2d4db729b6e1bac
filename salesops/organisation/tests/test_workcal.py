"""The working calendar (R2) on real days of the mainland China calendar, and its arithmetic's properties.

Expected values are counted by hand from the State Council's notices (2025: 国办发明电〔2024〕12号,
2026: 国办发明电〔2025〕7号); 2027 is not published yet, so only its statutory holidays apply.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.organisation import services
from salesops.organisation.models import CalendarDay
from salesops.organisation.selectors import work_calendar
from salesops.organisation.workcal import (
    Reason,
    WorkCalendar,
    makeup_days_published,
    makeup_workday_name,
    national_holiday_name,
    national_makeup_workdays,
)

D = dt.date
NATIONAL = WorkCalendar()


# --- real days -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "is_workday", "reason"),
    [
        (D(2026, 2, 14), True, Reason.MAKEUP_WORKDAY),  # Saturday worked for the Spring Festival 2026
        (D(2026, 2, 28), True, Reason.MAKEUP_WORKDAY),  # Saturday worked for the Spring Festival 2026
        (D(2026, 2, 16), False, Reason.HOLIDAY),  # 除夕, a Monday
        (D(2026, 2, 15), False, Reason.WEEKEND),  # Sunday inside the break
        (D(2026, 2, 23), False, Reason.HOLIDAY),  # Monday off in exchange for 02-28
        (D(2026, 2, 24), True, Reason.WORKDAY),  # first working day after the break
        (D(2026, 10, 10), True, Reason.MAKEUP_WORKDAY),  # Saturday worked for National Day
        (D(2026, 9, 20), True, Reason.MAKEUP_WORKDAY),  # Sunday worked for National Day
        (D(2025, 1, 26), True, Reason.MAKEUP_WORKDAY),  # Sunday worked for the Spring Festival 2025
        (D(2026, 3, 10), True, Reason.WORKDAY),  # an ordinary Tuesday
        (D(2026, 3, 14), False, Reason.WEEKEND),  # an ordinary Saturday
        (D(2026, 3, 15), False, Reason.WEEKEND),  # an ordinary Sunday
        (D(2027, 2, 6), False, Reason.HOLIDAY),  # 春节 2027, statutory though 调休 are unpublished
        (D(2027, 10, 1), False, Reason.HOLIDAY),  # National Day 2027, a Friday
        (D(2027, 3, 6), False, Reason.WEEKEND),  # a 2027 Saturday: no make-up days known
    ],
)
def test_real_days(day, is_workday, reason):
    assert NATIONAL.is_workday(day) is is_workday
    assert NATIONAL.why(day) == reason


def test_national_day_week_2026_is_off():
    assert [NATIONAL.is_workday(D(2026, 10, d)) for d in range(1, 9)] == [False] * 7 + [True]


def test_holiday_names_follow_the_language():
    with translation.override("zh-hans"):
        assert national_holiday_name(D(2026, 2, 16)) == "农历除夕"
        assert national_holiday_name(D(2027, 2, 6)) == "春节"
        assert national_holiday_name(D(2026, 3, 10)) is None
    with translation.override("en"):
        assert national_holiday_name(D(2026, 2, 16)) == "Chinese New Year's Eve"
        assert national_holiday_name(D(2026, 10, 1)) == "National Day"


def test_makeup_days_of_2026_with_names():
    assert national_makeup_workdays(2026) == [
        D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10),
    ]
    with translation.override("en"):
        assert makeup_workday_name(D(2026, 2, 14)) == (
            "Make-up working day for Chinese New Year's Eve, Chinese New Year (Spring Festival) "
            "(the day off moves to 2026-02-20)"
        )
        # 2025: National Day and Mid-Autumn share one break
        assert makeup_workday_name(D(2025, 9, 28)) == (
            "Make-up working day for National Day, Mid-Autumn Festival (the day off moves to 2025-10-07)"
        )
        assert NATIONAL.name(D(2026, 10, 10)) == (
            "Make-up working day for National Day (the day off moves to 2026-10-07)"
        )


def test_2027_is_not_published_and_nothing_breaks():
    assert makeup_days_published(2026) is True
    assert makeup_days_published(2027) is False
    assert national_makeup_workdays(2027) == []
    # Spring Festival 2027: 02-05 除夕 (Fri) to 02-10 observed; next working day is Thursday 02-11
    assert NATIONAL.next_workday(D(2027, 2, 4)) == D(2027, 2, 11)
    assert len(NATIONAL.month(2027, 2)) == 28
    assert NATIONAL.makeup_workdays(2027) == []
    assert sum(NATIONAL.workdays_per_month(2027)) == NATIONAL.workdays_between(D(2027, 1, 1), D(2027, 12, 31))


def test_next_and_previous_workday_across_the_spring_festival_2026():
    assert NATIONAL.next_workday(D(2026, 2, 13)) == D(2026, 2, 14)
    assert NATIONAL.next_workday(D(2026, 2, 14)) == D(2026, 2, 24)
    assert NATIONAL.next_workday(D(2026, 2, 16)) == D(2026, 2, 24)
    assert NATIONAL.next_workday(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert NATIONAL.previous_workday(D(2026, 2, 24)) == D(2026, 2, 14)
    assert NATIONAL.previous_workday(D(2026, 2, 14)) == D(2026, 2, 13)
    assert NATIONAL.previous_workday(D(2026, 2, 24), 2) == D(2026, 2, 13)
    assert NATIONAL.add_workdays(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert NATIONAL.add_workdays(D(2026, 2, 15), 0) == D(2026, 2, 15)
    assert NATIONAL.workday_on_or_after(D(2026, 2, 15)) == D(2026, 2, 24)
    assert NATIONAL.workday_on_or_after(D(2026, 2, 14)) == D(2026, 2, 14)
    with pytest.raises(ValueError, match="at least 1"):
        NATIONAL.next_workday(D(2026, 2, 13), 0)


def test_workdays_counted_by_hand():
    # Feb 2026: 20 weekdays - 6 off (16-20, 23) + 2 Saturdays worked (14, 28) = 16
    assert len(NATIONAL.workdays_in_month(2026, 2)) == 16
    # Oct 2026: 22 weekdays - 5 off (1, 2, 5, 6, 7) + Saturday 10 = 18
    assert len(NATIONAL.workdays_in_month(2026, 10)) == 18
    # 13 (Fri), 14 (Sat, worked), 24 (Tue)
    assert NATIONAL.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 3
    assert NATIONAL.workdays_between(D(2026, 2, 15), D(2026, 2, 23)) == 0
    assert NATIONAL.workdays_between(D(2026, 2, 24), D(2026, 2, 13)) == 0
    # left from Saturday 14: 14, 24, 25, 26, 27, 28
    assert NATIONAL.workdays_left_in_month(D(2026, 2, 14)) == 6
    assert NATIONAL.workdays_left_in_month(D(2026, 2, 1)) == 16
    # nothing is worked in Oct 1-7 2026, so all 18 are left on the 8th
    assert NATIONAL.workdays_left_in_month(D(2026, 10, 8)) == 18
    assert NATIONAL.workdays_left_in_month(D(2026, 10, 31)) == 0  # a Saturday
    # 2026: 261 weekdays - 19 weekday holidays + 6 make-up days
    assert sum(NATIONAL.workdays_per_month(2026)) == 248


def test_month_listing_gives_every_day_with_its_reason():
    with translation.override("zh-hans"):
        days = NATIONAL.month(2026, 2)
    assert [d.date for d in days] == [D(2026, 2, n) for n in range(1, 29)]
    by_date = {d.date: d for d in days}
    assert (by_date[D(2026, 2, 16)].is_workday, by_date[D(2026, 2, 16)].reason) == (False, Reason.HOLIDAY)
    assert by_date[D(2026, 2, 16)].name == "农历除夕"
    assert by_date[D(2026, 2, 14)].reason == Reason.MAKEUP_WORKDAY
    assert by_date[D(2026, 2, 2)].name == ""
    assert sum(d.is_workday for d in days) == 16


def test_company_days_beat_the_national_calendar():
    cal = WorkCalendar({D(2026, 2, 14): False, D(2026, 3, 10): False, D(2027, 3, 6): True}, {D(2026, 3, 10): "年会"})
    assert cal.is_workday(D(2026, 2, 14)) is False
    assert cal.why(D(2026, 2, 14)) == Reason.COMPANY_DAY_OFF
    assert cal.is_workday(D(2026, 3, 10)) is False
    assert cal.name(D(2026, 3, 10)) == "年会"
    assert cal.is_workday(D(2027, 3, 6)) is True
    assert cal.why(D(2027, 3, 6)) == Reason.COMPANY_WORKDAY
    assert cal.next_workday(D(2026, 2, 13)) == D(2026, 2, 24)
    assert len(cal.workdays_in_month(2026, 2)) == 15


@pytest.mark.django_db
def test_admin_days_reach_the_calendar_every_rule_uses(actors):
    services.calendar_day_set(date=D(2027, 3, 6), kind=CalendarDay.Kind.WORKDAY, note="2027 调休", by=actors.admin)
    services.calendar_day_set(date=D(2026, 2, 28), kind=CalendarDay.Kind.DAY_OFF, note="", by=actors.admin)
    cal = work_calendar()
    assert cal.is_workday(D(2027, 3, 6)) is True
    assert cal.name(D(2027, 3, 6)) == "2027 调休"
    assert cal.is_workday(D(2026, 2, 28)) is False
    assert cal.workdays_left_in_month(D(2026, 2, 14)) == 5
    services.calendar_day_remove(date=D(2027, 3, 6), by=actors.admin)
    assert work_calendar().is_workday(D(2027, 3, 6)) is False


# --- properties ----------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))
company = st.dictionaries(dates, st.booleans(), max_size=20)


@settings(max_examples=150, deadline=None)
@given(day=dates, days=company)
def test_next_workday_is_the_first_workday_after(day, days):
    cal = WorkCalendar(days)
    following = cal.next_workday(day)
    assert following > day
    assert cal.is_workday(following)
    assert not any(cal.is_workday(d) for d in cal.days(day + dt.timedelta(days=1), following - dt.timedelta(days=1)))
    preceding = cal.previous_workday(day)
    assert preceding < day and cal.is_workday(preceding)


@settings(max_examples=150, deadline=None)
@given(day=dates, n=st.integers(min_value=-60, max_value=60), days=company)
def test_add_workdays_there_and_back(day, n, days):
    cal = WorkCalendar(days)
    start = cal.workday_on_or_after(day)
    moved = cal.add_workdays(start, n)
    assert cal.add_workdays(moved, -n) == start
    if n:
        assert cal.is_workday(moved)
        low, high = sorted((start, moved))
        assert cal.workdays_between(low, high) == abs(n) + 1


@settings(max_examples=150, deadline=None)
@given(a=dates, gap1=st.integers(0, 120), gap2=st.integers(0, 120), days=company)
def test_workdays_between_adds_up_over_consecutive_ranges(a, gap1, gap2, days):
    cal = WorkCalendar(days)
    b = a + dt.timedelta(days=gap1)
    c = b + dt.timedelta(days=1 + gap2)
    assert cal.workdays_between(a, b) + cal.workdays_between(b + dt.timedelta(days=1), c) == cal.workdays_between(a, c)


@settings(max_examples=100, deadline=None)
@given(day=dates, days=company)
def test_reason_agrees_with_is_workday(day, days):
    cal = WorkCalendar(days)
    worked = {Reason.WORKDAY, Reason.MAKEUP_WORKDAY, Reason.COMPANY_WORKDAY}
    assert (cal.why(day) in worked) is cal.is_workday(day)
    assert cal.workdays_left_in_month(day) == sum(
        1 for info in cal.month(day.year, day.month) if info.date >= day and info.is_workday
    )
