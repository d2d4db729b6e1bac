"""Demo and benchmark data of summaries (R17), problems (R5) and success cases (R6): recent summaries with
today's partly missing, problems in every state and cases in the demo; two years of summaries per rep,
the missing ones flagged, problems and cases per team from the generator, and its wipe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count

from salesops.accounts.models import Role, User
from salesops.customers import demo_data as customer_data
from salesops.daily.problems import demo_data as problem_data
from salesops.daily.problems.models import Problem, ProblemStatus, SuccessCase
from salesops.daily.summaries import demo_data as summary_data
from salesops.daily.summaries.models import DailySummary, MissingSummary
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.organisation.selectors import work_calendar

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 11)


def test_the_demo_has_recent_summaries_problems_and_cases(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert load_demo(progress=False)
    reps = User.objects.filter(role=Role.REP)
    assert DailySummary.objects.filter(user__in=reps).values("user").distinct().count() == reps.count()
    assert DailySummary.objects.exclude(not_done=[]).exists()
    assert not DailySummary.objects.filter(done="", done_items=[], not_done=[]).exists()
    assert set(Problem.objects.values_list("status", flat=True)) == set(ProblemStatus.values)
    assert SuccessCase.objects.exists() and Problem.history.count() > Problem.objects.count()


@pytest.fixture
def daily_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = {
        "customers": registry.GeneratorStep("customers", customer_data.generate_customers,
                                            customer_data.wipe_customers),
        "daily summaries": registry.GeneratorStep("daily summaries", summary_data.generate_summaries,
                                                  summary_data.wipe_summaries),
        "problems": registry.GeneratorStep("problems", problem_data.generate_problems, problem_data.wipe_problems),
    }
    monkeypatch.setattr(registry, "_generator_steps", steps)


def test_the_generator_writes_two_years_of_summaries_and_wipes_them(daily_steps: None) -> None:
    scale = SCALES["S"]
    report = generate(scale=scale, seed=5, today=TODAY, progress=False)
    calendar = work_calendar()
    workdays = sum(calendar.is_workday(TODAY - dt.timedelta(days=n)) for n in range(1, customer_data.HISTORY_DAYS + 1))
    written, flagged = DailySummary.objects.count(), MissingSummary.objects.count()
    assert written + flagged == scale.reps * workdays and 0 < flagged < written * 0.1
    assert report.rows["daily.DailySummary"] == written
    assert not DailySummary.objects.filter(user__role=Role.LEAD).exists()
    days = set(DailySummary.objects.values_list("date", flat=True))
    assert all(calendar.is_workday(day) for day in days) and min(days) >= TODAY - dt.timedelta(days=730)
    assert DailySummary.objects.filter(late=True).exists() and DailySummary.objects.exclude(not_done=[]).exists()
    per_team = Problem.objects.values("team").annotate(n=Count("pk"))
    assert {row["n"] for row in per_team} == {problem_data.PROBLEMS_PER_TEAM} and len(per_team) == scale.teams
    assert Problem.objects.filter(status=ProblemStatus.OPEN).count() == 4 * scale.teams
    assert SuccessCase.objects.count() == problem_data.CASES_PER_TEAM * scale.teams
    wipe_generated()
    assert not DailySummary.objects.exists() and not MissingSummary.objects.exists()
    assert not Problem.objects.exists() and not SuccessCase.objects.exists()
