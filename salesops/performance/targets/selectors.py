"""Reads of targets (R22): one subject's targets of a period, the people's targets of a period, the rows
a caller sees. Other apps (daily targets, the brief, the weekly review, the KPI report) read targets here.

A value comes back as the metric measures it: a whole number for a count, a Decimal for an amount or a
rate. Metrics without a target are absent, never 0 (R22: "no target" is not a target of nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from salesops.accounts.models import User
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.metrics import Level, Metric, Unit
from salesops.performance.periods import Period
from salesops.performance.targets.models import SubjectKind, Target

TargetValue = Decimal | int


def as_value(metric: str, value: Decimal) -> TargetValue:
    """A stored target as its metric measures it: a count as an int, an amount or a rate as a Decimal."""
    known = _known(metric)
    return int(value) if known is not None and known.unit == Unit.COUNT else value


def _known(metric: str) -> Metric | None:
    """The registered metric of that name; None for one no longer registered (its targets read as stored)."""
    return registry.get(metric) if metric in registry.names() else None


def subject_key(subject: Subject) -> list[str]:
    """The ``Target.subject`` words of a subject (several for several teams together)."""
    if subject.level == Level.ORG:
        return ["org"]
    word = "user" if subject.level == Level.PERSON else "team"
    return [f"{word}:{pk}" for pk in sorted(subject.ids)]


def _rows(period: Period, metrics: Sequence[str] | None) -> QuerySet[Target]:
    rows = Target.objects.active().filter(period=str(period))
    return rows if metrics is None else rows.filter(metric__in=list(metrics))


def target_values(
    *, subject: Subject, period: Period, metrics: Sequence[str] | None = None
) -> dict[str, TargetValue]:
    """The targets of ``subject`` for ``period`` by metric; several teams together add up their targets of
    the metrics that add up (a rate's target of several teams is none)."""
    keys = subject_key(subject)
    found: dict[str, TargetValue] = {}
    for metric, value in _rows(period, metrics).filter(subject__in=keys).values_list("metric", "value"):
        if len(keys) > 1 and not _additive(metric):
            continue
        found[metric] = found.get(metric, 0) + as_value(metric, value)
    return found


def _additive(metric: str) -> bool:
    known = _known(metric)
    return known is not None and known.additive


def people_targets(
    *, user_ids: Iterable[int], period: Period, metrics: Sequence[str] | None = None
) -> dict[int, dict[str, TargetValue]]:
    """Each person's targets of ``period`` by metric; everyone asked for has an entry (empty without any)."""
    wanted = list(dict.fromkeys(user_ids))
    found: dict[int, dict[str, TargetValue]] = {pk: {} for pk in wanted}
    rows = _rows(period, metrics).filter(subject_kind=SubjectKind.USER, user_id__in=wanted)
    for user_id, metric, value in rows.values_list("user_id", "metric", "value"):
        found[user_id][metric] = as_value(metric, value)
    return found


def targets_of(*, user: User) -> QuerySet[Target]:
    """The active targets ``user`` may read (R1), with their people and teams for lists."""
    return Target.objects.active().visible_to(user).select_related("user", "team")
