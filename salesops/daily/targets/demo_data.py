"""Daily targets (R4) for the demo organisation and the benchmark generator; the demo's lag alerts (R19).

The demo's leads save the suggested split (what is left of the month's targets over the working days
left) for each working day of this month up to the next working day, through the services; then the
``lag_alerts`` check runs for the month's past working days, so a lead opens the alerts page with the
streaks the demo's visits give. The generator writes two years of working days of the teams' targets and
their reps' shares of visits, new-customer visits and sales amount as plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.demo_data import raw_delete
from salesops.customers.excel.bulk_load import insert_rows
from salesops.daily.lag.models import LagAlert, LagTalk
from salesops.daily.lag.services import lag_alerts_check
from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.daily.targets.services import day_targets_save
from salesops.daily.targets.suggestion import suggested_split
from salesops.demo.registry import DemoContext, GeneratorContext
from salesops.organisation.selectors import work_calendar
from salesops.performance import metrics as registry

#: A rep's day target of each generated metric: the lowest and highest (amounts in CNY).
PER_REP_DAY = {"visits": (2, 4), "new_customer_visits": (0, 2), "sales_amount": (10000, 20000)}
GENERATED_DAYS = 730


def demo_day_targets(ctx: DemoContext) -> None:
    calendar = work_calendar()
    first = ctx.today.replace(day=1)
    days = [day for day in calendar.days(first, calendar.next_workday(ctx.today)) if calendar.is_workday(day)]
    leads = {lead.team_id: lead for lead in ctx.leads}
    for team in ctx.progress(ctx.teams, desc="daily targets"):
        lead = leads.get(team.pk)
        for day in days:
            found = suggested_split(team_id=team.pk, day=day)
            if lead is not None and found.team:
                day_targets_save(by=lead, team=team, day=day, team_values=found.team,
                                 members={str(pk): shares for pk, shares in found.members.items()})
    for day in days:
        if day < ctx.today:
            lag_alerts_check(day=day)


def _day_rows(ctx: GeneratorContext, sets: dict[tuple[int, dt.date], int]) -> Iterator[dict[str, Any]]:
    metrics = [name for name in PER_REP_DAY if name in registry.names()]
    for (team_id, day), set_id in sets.items():
        base = {"target_set_id": set_id, "team_id": team_id, "day": day, "is_active": True}
        totals = dict.fromkeys(metrics, 0)
        for rep_id in ctx.reps_by_team[team_id]:
            for name in metrics:
                low, high = PER_REP_DAY[name]
                value = ctx.rng.randint(low, high)
                totals[name] += value
                yield {**base, "user_id": rep_id, "metric": name, "value": Decimal(value)}
        for name, value in totals.items():
            yield {**base, "user_id": None, "metric": name, "value": Decimal(value)}


def generate_day_targets(ctx: GeneratorContext) -> None:
    """Two years of working days (and the next one) of daily targets for every generated team."""
    calendar = work_calendar()
    start = ctx.today - dt.timedelta(days=GENERATED_DAYS)
    days = [day for day in calendar.days(start, calendar.next_workday(ctx.today)) if calendar.is_workday(day)]
    now = timezone.now()
    ctx.counts[DayTargetSet._meta.label] += insert_rows(DayTargetSet, (
        {"team_id": team_id, "day": day, "set_by_id": ctx.lead_by_team.get(team_id, ctx.admin_id), "updated_at": now}
        for team_id in ctx.team_ids for day in days), now=now)
    sets = {
        (team_id, day): pk for pk, team_id, day in DayTargetSet.objects.filter(
            team_id__in=ctx.team_ids, day__gte=start).values_list("pk", "team_id", "day").iterator(chunk_size=5000)
    }
    ctx.counts[DayTarget._meta.label] += insert_rows(DayTarget, _day_rows(ctx, sets), now=now)


def wipe_day_targets(generated_users: QuerySet[User]) -> None:
    """The generated teams' daily targets, and any lag alerts (R19) a job run gave their people."""
    teams = generated_users.filter(team__isnull=False).values("team_id")
    alerts = LagAlert.objects.filter(subject_user__in=generated_users.values("pk")).values("pk")
    raw_delete(LagTalk.history.model.objects.filter(alert_id__in=alerts))
    raw_delete(LagTalk.objects.filter(alert__in=alerts))
    raw_delete(LagAlert.history.model.objects.filter(id__in=alerts))
    raw_delete(LagAlert.objects.filter(pk__in=alerts))
    raw_delete(DayTarget.history.model.objects.filter(team_id__in=teams))
    raw_delete(DayTarget.objects.filter(team__in=teams))
    raw_delete(DayTargetSet.history.model.objects.filter(team_id__in=teams))
    raw_delete(DayTargetSet.objects.filter(team__in=teams))
