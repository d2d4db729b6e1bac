"""R19 by hypothesis: over random calendars (weekends, company days off, 调休 make-up days) and random
visit targets and visits, running the ``lag_alerts`` job day after day gives the streaks a plain
recomputation gives: one alert per streak that reaches the length, its first and latest day, its length,
the day it ended, and the lead told once per alert."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.daily.lag import services
from salesops.daily.lag.models import LagAlert
from salesops.daily.lag.tests.conftest import log_visits, set_visit_target
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.selectors import work_calendar

START = dt.date(2026, 11, 16)  # a Monday; 20 days reach into December

day_plan = st.tuples(
    st.sampled_from([None, None, "day_off", "workday"]),  # the company's own day, if any
    st.none() | st.integers(min_value=0, max_value=3),  # the visit target (None: none set)
    st.integers(min_value=0, max_value=4),  # visits
)


def expected(plan: list[tuple[dt.date, int | None, int]], length: int) -> set[tuple]:
    """The alerts by a plain walk over the days: (started_on, last_day, days, ended_on)."""
    calendar = work_calendar()
    found: dict[dt.date, list] = {}
    start, count = None, 0
    for day, target, visits in plan:
        if not calendar.is_workday(day) or target is None:
            continue
        if visits < target:
            start, count = (start or day), count + 1
            if count >= length:
                found[start] = [start, day, count, None]
        else:
            if start in found:
                found[start][3] = day
            start, count = None, 0
    return {tuple(row) for row in found.values()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(day_plan, min_size=3, max_size=20), length=st.integers(min_value=1, max_value=4))
def test_the_job_finds_the_streaks_a_plain_walk_finds(actors, days, length):
    with transaction.atomic():
        RuleSettings.objects.update_or_create(pk=1, defaults={"lag_streak_days": length})
        plan = []
        for offset, (own_day, target, visits) in enumerate(days):
            day = START + dt.timedelta(days=offset)
            if own_day:
                CalendarDay.objects.create(date=day, kind=own_day, note="调休" if own_day == "workday" else "放假")
            if target is not None:
                set_visit_target(actors.rep_a1, day, target)
            if visits:
                log_visits(actors.rep_a1, day, visits)
            plan.append((day, target, visits))
        with mock.patch.object(services, "notify") as told:
            for day, _target, _visits in plan:
                services.lag_alerts_check(day=day)
                services.lag_alerts_check(day=day)  # idempotent per date
        found = {(a.started_on, a.last_day, a.days, a.ended_on) for a in LagAlert.objects.all()}
        assert found == expected(plan, length)
        assert told.call_count == 2 * len(found)  # the lead and the director, once per streak
        transaction.set_rollback(True)
