"""Month and daily targets of the demo (through the services, the splits adding up) and of the generator
(two years for every generated rep and team as plain rows, wiped with the generated people)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from salesops.accounts.models import Role, Team, User
from salesops.core.clock import local_today
from salesops.daily.targets import demo_data as day_demo
from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.daily.targets.selectors import day_targets
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.organisation.selectors import work_calendar
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.targets import demo_data as month_demo
from salesops.performance.targets.models import Target

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 11)


def test_the_demo_sets_month_targets_and_each_working_days_split(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert load_demo(progress=False)
    month = str(Period.containing(PeriodKind.MONTH, local_today()))
    for rep in User.objects.filter(role=Role.REP):
        assert Target.objects.filter(user=rep, period=month, metric="visits").exists()
    for team in Team.objects.filter(members__role=Role.REP).distinct():
        team_total = Target.objects.get(team=team, period=month, metric="sales_amount").value
        reps_total = Target.objects.filter(user__team=team, period=month, metric="sales_amount").aggregate(
            total=Sum("value"))["total"]
        assert team_total == reps_total
        saved = day_targets(team_id=team.pk, day=work_calendar().next_workday(local_today()))
        assert saved.team and all(
            sum(shares.get(name, 0) for shares in saved.members.values()) == value
            for name, value in saved.team.items())
    assert DayTarget.history.exists()


@pytest.fixture
def only_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_generator_steps", {
        "targets": registry.GeneratorStep("targets", month_demo.generate_targets, month_demo.wipe_targets),
        "daily_targets": registry.GeneratorStep("daily_targets", day_demo.generate_day_targets,
                                                day_demo.wipe_day_targets),
    })


def test_the_generator_writes_two_years_and_wipes_them(only_targets):
    scale = SCALES["S"]
    report = generate(scale=scale, seed=5, today=TODAY, progress=False)
    metrics = len(month_demo.rep_month_targets(registry.step_rng(1, "x")))
    assert Target.objects.count() == report.rows["performance.Target"] == 24 * (scale.reps + scale.teams) * metrics
    calendar = work_calendar()
    days = [d for d in calendar.days(TODAY - dt.timedelta(days=day_demo.GENERATED_DAYS),
                                     calendar.next_workday(TODAY)) if calendar.is_workday(d)]
    assert DayTargetSet.objects.count() == scale.teams * len(days)
    assert DayTarget.objects.count() == scale.teams * len(days) * (scale.reps_per_team + 1) * 3
    team_id = DayTargetSet.objects.values_list("team_id", flat=True).first()
    assert team_id is not None
    saved = day_targets(team_id=team_id, day=days[-1])
    assert saved.team["visits"] == sum(shares["visits"] for shares in saved.members.values())
    wipe_generated()
    assert not Target.objects.exists() and not DayTarget.objects.exists() and not DayTargetSet.objects.exists()
