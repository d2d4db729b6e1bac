"""Reads of R4 daily targets for the brief, the lag alerts (R19), the pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.performance.targets.selectors import TargetValue, as_value


@dataclass(frozen=True)
class DayTargets:
    """A team's targets of one day by metric, and each member's share (both empty when none is set);
    ``version`` is the saved set's (0 when none), what an edit sends back."""

    team: dict[str, TargetValue] = field(default_factory=dict)
    members: dict[int, dict[str, TargetValue]] = field(default_factory=dict)
    version: int = 0


def day_targets(*, team_id: int, day: dt.date) -> DayTargets:
    """``team_id``'s targets of ``day`` (two queries)."""
    saved = DayTargetSet.objects.filter(team_id=team_id, day=day).values_list("version", flat=True).first()
    if saved is None:
        return DayTargets()
    team: dict[str, TargetValue] = {}
    members: dict[int, dict[str, TargetValue]] = {}
    rows = DayTarget.objects.filter(team_id=team_id, day=day, is_active=True).order_by("metric", "user_id")
    for user_id, metric, value in rows.values_list("user_id", "metric", "value"):
        if user_id is None:
            team[metric] = as_value(metric, value)
        else:
            members.setdefault(user_id, {})[metric] = as_value(metric, value)
    return DayTargets(team=team, members=members, version=saved)


def person_day_targets(
    *, metric: str, user_ids: Iterable[int], days: Iterable[dt.date]
) -> dict[tuple[int, dt.date], TargetValue]:
    """Each person's target of ``metric`` on each of ``days`` where one is set (one query)."""
    people, wanted = sorted(set(user_ids)), set(days)
    if not people or not wanted:
        return {}
    rows = DayTarget.objects.filter(metric=metric, user_id__in=people, day__gte=min(wanted), day__lte=max(wanted),
                                    is_active=True)
    return {
        (user_id, day): as_value(metric, value)
        for user_id, day, value in rows.values_list("user_id", "day", "value") if day in wanted
    }
