"""Month targets for the demo organisation and the benchmark generator (R22).

Each rep gets a month target of the meeting's metrics (visits, new-customer visits, new intent customers,
new customers, deals, sales amount, collections), a little different per person; their team's target is
the sum of its reps'. The demo sets last month's, this month's and next month's through ``target_set`` (with history);
the generator writes two years of them as plain rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.demo_data import raw_delete
from salesops.customers.excel.bulk_load import insert_rows
from salesops.demo.registry import DemoContext, GeneratorContext
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.targets.models import SubjectKind, Target
from salesops.performance.targets.services import target_set

#: A rep's month target of each metric before the personal spread (amounts in CNY).
PER_REP: dict[str, Decimal] = {
    "visits": Decimal(60), "new_customer_visits": Decimal(20), "new_intent_customers": Decimal(6),
    "new_customers": Decimal(8), "deals": Decimal(3), "sales_amount": Decimal(300000), "collections": Decimal(250000),
}
#: How far back the generator goes.
GENERATED_MONTHS = 24


def rep_month_targets(rng: random.Random) -> dict[str, Decimal]:
    """One rep's month targets: the base give or take 30 %, counts whole, amounts to the thousand."""
    found = {}
    for name, base in PER_REP.items():
        if name not in registry.names():
            continue
        value = base * Decimal(rng.randint(70, 130)) / 100
        step = Decimal(1000) if base >= 1000 else Decimal(1)
        found[name] = max((value / step).quantize(Decimal(1)) * step, step)
    return found


def months_back(today: dt.date, count: int) -> list[Period]:
    """The ``count`` months up to this one, oldest first."""
    month = Period.containing(PeriodKind.MONTH, today)
    found = [month]
    for _ in range(count - 1):
        found.append(found[-1].previous())
    return found[::-1]


def demo_targets(ctx: DemoContext) -> None:
    """Last month's, this month's and next month's targets (the next working day may be in it)."""
    months = months_back(ctx.today, 2)
    for month in [*months, months[-1].next()]:
        for team in ctx.progress(ctx.teams, desc=f"targets {month}"):
            totals: dict[str, Decimal] = {}
            for rep in ctx.reps_of(team):
                for name, value in rep_month_targets(ctx.rng).items():
                    target_set(by=ctx.admin, subject=Subject.person(rep.pk), period=month, metric=name, value=value)
                    totals[name] = totals.get(name, Decimal(0)) + value
            for name, value in totals.items():
                target_set(by=ctx.admin, subject=Subject.team(team.pk), period=month, metric=name, value=value)


def _rows(ctx: GeneratorContext, now: Any) -> Iterator[dict[str, Any]]:
    for month in months_back(ctx.today, GENERATED_MONTHS):
        period = {"period": str(month), "period_kind": month.kind.value, "starts_on": month.first,
                  "ends_on": month.last, "set_by_id": ctx.admin_id, "updated_at": now}
        for team_id in ctx.team_ids:
            totals: dict[str, Decimal] = {}
            for rep_id in ctx.reps_by_team[team_id]:
                for name, value in rep_month_targets(ctx.rng).items():
                    totals[name] = totals.get(name, Decimal(0)) + value
                    yield {"subject": f"user:{rep_id}", "subject_kind": SubjectKind.USER, "user_id": rep_id,
                           "metric": name, "value": value, **period}
            for name, value in totals.items():
                yield {"subject": f"team:{team_id}", "subject_kind": SubjectKind.TEAM, "team_id": team_id,
                       "metric": name, "value": value, **period}


def generate_targets(ctx: GeneratorContext) -> None:
    """Two years of month targets for every generated rep and team, as plain rows (no history)."""
    ctx.counts[Target._meta.label] += insert_rows(Target, _rows(ctx, timezone.now()), now=timezone.now())


def wipe_targets(generated_users: QuerySet[User]) -> None:
    users = generated_users.values("pk")
    teams = generated_users.filter(team__isnull=False).values("team_id")
    raw_delete(Target.history.model.objects.filter(Q(user_id__in=users) | Q(team_id__in=teams)))
    raw_delete(Target.objects.filter(Q(user__in=users) | Q(team__in=teams)))
