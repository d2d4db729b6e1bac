"""The KPI report (R21-R24): a subject's figures of a period against its targets and the period before,
each listed member's own figures, and the members flagged as anomalies. ``/api/kpis/`` serves it as it is
(``KpiReport.as_json``); the morning brief and the weekly review build their figures from it.

Every figure comes from the engine (``engine.figures`` at the subject's own level, ``engine.figures_per``
for the members); this module only sets them side by side:

- ``achievement`` (R22): actual / target, None without a target (``engine.achievement``);
- ``change`` (R24, 环比) against ``period.previous()``: relative for amounts and counts ((actual - previous) /
  previous: 0.15 is +15 %), a difference in points for rates (0.25 → 0.20 is -0.05, shown "-5 pp"); None
  without a previous figure, and for amounts and counts when the previous figure is 0;
- anomalies (R23): a member whose figure is ``anomaly_below_percent`` or more below the average of the
  figures of the listed members of their team (at most 0.8 × that average by default) is flagged with the figure,
  that average and the gap ((figure - average) / average: -0.25 is 25 % below). A member without a
  figure (a rate without a denominator) is neither averaged nor flagged; an average of 0 flags nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.organisation.selectors import rule_settings
from salesops.performance import metrics as registry
from salesops.performance.engine import Figures, Subject, achievement, figures, figures_per
from salesops.performance.metrics import CENT, Level, Metric, Unit, Value
from salesops.performance.periods import Period
from salesops.performance.selectors import members as team_members
from salesops.performance.targets.selectors import target_values

#: The metrics of the report when none are asked for: API.md's metric words (R21), in its order.
KPI_METRICS = (
    "visits", "new_customer_visits", "new_intent_customers", "sales_amount", "deals", "collections",
    "collection_rate", "conversion_rate", "new_customers", "repurchase_rate",
)


@dataclass(frozen=True)
class MetricFigures:
    """One metric of the subject: the figure, its target, achievement (R22), the previous period's
    figure and the change against it (R24)."""

    actual: Value
    target: Decimal | int | None
    achievement: float | None
    previous: Value
    change: float | None


@dataclass(frozen=True)
class MemberFigures:
    user: User
    metrics: Figures


@dataclass(frozen=True)
class Anomaly:
    """R23: ``user``'s ``value`` of ``metric`` is ``gap`` (relative, negative) below their team's ``average``."""

    user: User
    metric: str
    value: Value
    average: Decimal | float
    gap: float


@dataclass(frozen=True)
class KpiReport:
    subject: Subject
    period: Period
    today: dt.date
    metrics: dict[str, MetricFigures]
    members: list[MemberFigures]
    anomalies: list[Anomaly]

    def as_json(self) -> dict[str, Any]:
        """The /api/kpis/ body (API.md): money as decimal strings, other numbers as JSON numbers."""

        def number(name: str, value: Any) -> Any:
            return _json(registry.get(name), value)

        return {
            "scope": str(self.subject), "period": str(self.period), "start": self.period.first.isoformat(),
            "end": self.period.last.isoformat(), "today": self.today.isoformat(),
            "metrics": {
                name: {
                    "actual": number(name, figures.actual), "target": number(name, figures.target),
                    "achievement": figures.achievement, "previous": number(name, figures.previous),
                    "change": figures.change,
                }
                for name, figures in self.metrics.items()
            },
            "members": [
                {"user": member.user.pk, "display_name": member.user.display_name, "team": member.user.team_id,
                 "metrics": {name: number(name, value) for name, value in member.metrics.items()}}
                for member in self.members
            ],
            "anomalies": [
                {"user": item.user.pk, "display_name": item.user.display_name, "metric": item.metric,
                 "value": number(item.metric, item.value), "average": number(item.metric, item.average)
                 if registry.get(item.metric).unit == Unit.AMOUNT else float(item.average), "gap": item.gap}
                for item in self.anomalies
            ],
        }


def _json(metric: Metric, value: Any) -> Any:
    """A figure as API.md writes it: money a decimal string of cents, a count an integer, a rate a float."""
    if value is None:
        return None
    if metric.unit == Unit.AMOUNT:
        return str(Decimal(value).quantize(CENT))
    if metric.unit == Unit.COUNT:
        return int(value)
    return float(value)


def change(metric: Metric, actual: Value, previous: Value) -> float | None:
    """R24: relative change for amounts and counts, points difference for rates; None when it has none."""
    if actual is None or previous is None:
        return None
    if metric.unit == Unit.RATE:
        return float(actual) - float(previous)
    if previous == 0:
        return None
    return float((_decimal(actual) - _decimal(previous)) / _decimal(previous))


def _decimal(value: Decimal | int | float) -> Decimal:
    """A figure as a Decimal of its shortest decimal form (0.1 stays 0.1, not the float's binary value)."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _average(metric: Metric, values: list[Value]) -> Decimal | float | None:
    known = [value for value in values if value is not None]
    if not known:
        return None
    if metric.unit == Unit.AMOUNT:
        return (sum((Decimal(value) for value in known), Decimal(0)) / len(known)).quantize(CENT)
    return sum(float(value) for value in known) / len(known)


def anomalies(
    *, chosen: Sequence[Metric], members: Sequence[MemberFigures], below_percent: int
) -> list[Anomaly]:
    """R23 over the members' figures, each member against the average of the members of their team."""
    by_team: dict[int | None, list[MemberFigures]] = {}
    for member in members:
        by_team.setdefault(member.user.team_id, []).append(member)
    factor = 1 - Decimal(below_percent) / 100
    flagged: list[Anomaly] = []
    for metric in chosen:
        for group in by_team.values():
            average = _average(metric, [member.metrics[metric.name] for member in group])
            if average is None or average <= 0:
                continue
            line = _decimal(average) * factor
            for member in group:
                value = member.metrics[metric.name]
                if value is not None and _decimal(value) <= line:
                    gap = float((_decimal(value) - _decimal(average)) / _decimal(average))
                    flagged.append(Anomaly(user=member.user, metric=metric.name, value=value, average=average,
                                           gap=gap))
    return flagged


def default_members(subject: Subject) -> list[User]:
    """The people listed with a subject when the caller names none: a team's active reps and leads, the
    person themself, nobody for the organisation."""
    if subject.level == Level.TEAM:
        return list(team_members(team_ids=sorted(subject.ids)))
    if subject.level == Level.PERSON:
        return list(User.objects.filter(pk__in=subject.ids).select_related("team"))
    return []


def kpi_report(
    *,
    subject: Subject,
    period: Period,
    members: Sequence[User] | None,
    metrics: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> KpiReport:
    """The KPI report of ``subject`` over ``period`` (R21-R24) with ``members``' own figures (``None``: the
    subject's people, ``default_members``). ``metrics`` defaults to ``KPI_METRICS``; an unknown name raises
    ``ValidationError`` under ``metrics``. Whether the caller may read the subject (R1) is decided by
    ``selectors.subject_for`` before this is called."""
    today = today or local_today()
    chosen = [registry.get(name) for name in dict.fromkeys(metrics if metrics is not None else KPI_METRICS)]
    names = [metric.name for metric in chosen]
    people = default_members(subject) if members is None else list(members)
    now = figures(subject=subject, period=period, metrics=names, today=today)
    before = figures(subject=subject, period=period.previous(), metrics=names, today=today)
    targets = target_values(subject=subject, period=period, metrics=names)
    each = figures_per(level=Level.PERSON, ids=[person.pk for person in people], period=period, metrics=names,
                       today=today)
    member_figures = [MemberFigures(user=person, metrics=each[person.pk]) for person in people]
    return KpiReport(
        subject=subject, period=period, today=today,
        metrics={
            metric.name: MetricFigures(
                actual=now[metric.name], target=targets.get(metric.name),
                achievement=achievement(now[metric.name], targets.get(metric.name)),
                previous=before[metric.name], change=change(metric, now[metric.name], before[metric.name]),
            )
            for metric in chosen
        },
        members=member_figures,
        anomalies=anomalies(chosen=chosen, members=member_figures,
                            below_percent=rule_settings().anomaly_below_percent),
    )
