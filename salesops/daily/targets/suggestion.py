"""R4's suggested split of a team's day: what is left of the month's targets over the working days left,
weighted by each person's month target; the lead edits it before saving.

For each metric that adds up and has a month target for the team (or, without one, for its people):

- left = the month's target − the team's actual figure of the month's days before the day (the KPI engine,
  at the team's own level, R21), never below 0;
- the team's day target = left ÷ the working days from the day to the month's end, the day included (R2),
  rounded up to a whole count or to the cent, so the month is reached;
- each member's share: the day target in proportion to their month target of the metric (equal shares when
  nobody has one), by the largest remainder, so the shares add up exactly (whole counts, cents).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from salesops.daily.targets.selectors import DayTargets
from salesops.organisation.selectors import work_calendar
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject, figures
from salesops.performance.metrics import Unit
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.selectors import members as team_members
from salesops.performance.targets.selectors import TargetValue, people_targets, target_values

WHOLE = Decimal(1)
CENT = Decimal("0.01")


def split_exactly(total: Decimal, weights: list[Decimal], unit: Decimal) -> list[Decimal]:
    """``total`` (a multiple of ``unit``) in shares proportional to ``weights`` (equal when they are all 0),
    each a multiple of ``unit``, adding up to ``total`` exactly: the largest remainder method (ties to the
    earlier share)."""
    if not weights:
        return []
    if not any(weights):
        weights = [Decimal(1)] * len(weights)
    units = int(total / unit)
    whole = sum(weights, Decimal(0))
    quotas = [Fraction(units) * Fraction(weight) / Fraction(whole) for weight in weights]
    shares = [int(quota) for quota in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for index in order[: units - sum(shares)]:
        shares[index] += 1
    return [share * unit for share in shares]


def _month_before(day: dt.date) -> Period | None:
    """The month's days before ``day`` (None on the 1st): the month with its last day moved, which the
    engine reads like any period (by its first and last days)."""
    month = Period.containing(PeriodKind.MONTH, day)
    if day == month.first:
        return None
    return dataclasses.replace(month, last=day - dt.timedelta(days=1))


def suggested_split(*, team_id: int, day: dt.date) -> DayTargets:
    """The suggested targets of ``team_id`` for ``day`` (metrics without a month target are left out)."""
    month = Period.containing(PeriodKind.MONTH, day)
    people = list(team_members(team_ids=[team_id]).values_list("pk", flat=True))
    personal = people_targets(user_ids=people, period=month)
    monthly: dict[str, TargetValue] = {
        name: value for name, value in target_values(subject=Subject.team(team_id), period=month).items()
        if name in registry.names() and registry.get(name).additive
    }
    for shares in personal.values():
        for name in shares:
            if name not in monthly and registry.get(name).additive:
                monthly[name] = sum((p.get(name, 0) for p in personal.values()), Decimal(0))
    if not monthly:
        return DayTargets()
    before = _month_before(day)
    done = figures(subject=Subject.team(team_id), period=before, metrics=list(monthly)) if before else {}
    days_left = max(work_calendar().workdays_left_in_month(day), 1)
    team: dict[str, TargetValue] = {}
    members: dict[int, dict[str, TargetValue]] = {pk: {} for pk in people}
    for name, target in monthly.items():
        unit = WHOLE if registry.get(name).unit == Unit.COUNT else CENT
        left = max(Decimal(target) - Decimal(done.get(name) or 0), Decimal(0))
        today = (left / days_left).quantize(unit, rounding=ROUND_CEILING)
        team[name] = _as(unit, today)
        weights = [Decimal(personal[pk].get(name, 0)) for pk in people]
        for pk, share in zip(people, split_exactly(today, weights, unit), strict=True):
            members[pk][name] = _as(unit, share)
    return DayTargets(team=team, members=members)


def _as(unit: Decimal, value: Decimal) -> TargetValue:
    return int(value) if unit == WHOLE else value
