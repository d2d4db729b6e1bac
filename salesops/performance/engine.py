"""The KPI engine (R21, R22): the one place a figure is computed.

``figures(subject, period)`` is one figure per metric for a person, a team, several teams together or the
organisation; ``figures_per(level, ids, period)`` is the figures of each of several people or teams. Both
run the registered metrics' SQL aggregates at the level asked for: the rows credited to the person
(``Source.person``), to the team(s) (``Source.team``: the team at the time of each row) or all rows
(the organisation), never sums of per-person rows. Measures over one source are read in one query, so a
call costs one query per source, whatever the number of people or teams.

Subjects are written as in API.md "scopes": ``user:<id>``, ``team:<id>``, ``org``. Whether the caller may
see a subject (R1) is decided by ``performance.selectors.subject_for``, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from salesops.core.clock import local_today
from salesops.performance import metrics as registry
from salesops.performance.metrics import Frame, Level, Measure, Metric, Source, Value
from salesops.performance.periods import Period

#: The largest id a subject may name (a 64-bit key); larger numbers are typing mistakes, not rows.
MAX_ID = 2**63 - 1

Figures = dict[str, Value]


@dataclass(frozen=True)
class Subject:
    """Whose figures: a person, a team, several teams together (a director's), or the organisation."""

    level: Level
    ids: frozenset[int] = frozenset()

    @classmethod
    def person(cls, user_id: int) -> Subject:
        return cls(Level.PERSON, frozenset({user_id}))

    @classmethod
    def team(cls, team_id: int) -> Subject:
        return cls(Level.TEAM, frozenset({team_id}))

    @classmethod
    def teams(cls, team_ids: Iterable[int]) -> Subject:
        return cls(Level.TEAM, frozenset(team_ids))

    @classmethod
    def org(cls) -> Subject:
        return cls(Level.ORG)

    @classmethod
    def parse(cls, text: str) -> Subject:
        """``user:<id>``, ``team:<id>`` or ``org`` (API.md "scopes"); ``ValidationError`` for anything else."""
        kind, separator, raw_id = str(text).partition(":")
        if kind == "org" and not separator:
            return cls.org()
        if kind in ("user", "team") and raw_id.isascii() and raw_id.isdigit() and 0 < int(raw_id) <= MAX_ID:
            return cls.person(int(raw_id)) if kind == "user" else cls.team(int(raw_id))
        raise ValidationError({"scope": [_("Give the scope as user:<id>, team:<id> or org.")]}, code="invalid")

    def __str__(self) -> str:
        if self.level == Level.ORG:
            return "org"
        word = "user" if self.level == Level.PERSON else "team"
        return ",".join(f"{word}:{pk}" for pk in sorted(self.ids))


def _metrics(names: Sequence[str] | None) -> list[Metric]:
    return registry.registered() if names is None else [registry.get(name) for name in names]


def _frame(period: Period, today: dt.date | None) -> Frame:
    return Frame(period=period, today=today or local_today())


def _by_source(chosen: Sequence[Metric]) -> dict[Source, list[Measure]]:
    sources: dict[Source, list[Measure]] = {}
    for metric in chosen:
        for measure in metric.measures:
            wanted = sources.setdefault(measure.source, [])
            if measure not in wanted:
                wanted.append(measure)
    return sources


def _column(source: Source, level: Level) -> str | None:
    return {Level.PERSON: source.person, Level.TEAM: source.team}.get(level)


def _measure(
    chosen: Sequence[Metric], frame: Frame, level: Level, ids: Collection[int], grouped: bool
) -> dict[Measure, dict[int | None, Any]]:
    """Each measure's value per id (``grouped``) or over all ``ids`` together (key None): one query per source."""
    found: dict[Measure, dict[int | None, Any]] = {}
    for source, measures in _by_source(chosen).items():
        column = _column(source, level)
        rows = source.rows(frame).order_by()
        if column is not None:
            rows = rows.filter(**{f"{column}__in": sorted(ids)})
        aggregates = {f"m{index}": measure.expression(frame) for index, measure in enumerate(measures)}
        if grouped and column is not None:
            results = {row[column]: row for row in rows.values(column).annotate(**aggregates)}
        else:
            results = {None: rows.aggregate(**aggregates)}
        for index, measure in enumerate(measures):
            found[measure] = {key: row[f"m{index}"] for key, row in results.items()}
    return found


def _figures(metric: Metric, measured: dict[Measure, dict[int | None, Any]], key: int | None) -> Value:
    return metric.value([measured[measure].get(key) for measure in metric.measures])


def figures(
    *, subject: Subject, period: Period, metrics: Sequence[str] | None = None, today: dt.date | None = None
) -> Figures:
    """One figure per metric (every registered metric by default) for ``subject`` over ``period``; a team
    subject of several teams is their figure together (each row once). ``today`` is the day snapshots
    (R10 compliance) are read for, today in the organisation's time zone by default."""
    chosen = _metrics(metrics)
    if subject.level != Level.ORG and not subject.ids:
        return {metric.name: metric.value([None] * len(metric.measures)) for metric in chosen}
    measured = _measure(chosen, _frame(period, today), subject.level, subject.ids, grouped=False)
    return {metric.name: _figures(metric, measured, None) for metric in chosen}


def figures_per(
    *,
    level: Level,
    ids: Iterable[int],
    period: Period,
    metrics: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> dict[int, Figures]:
    """The figures of each person (``Level.PERSON``) or each team (``Level.TEAM``) of ``ids``, each
    computed at its own level; every id gets an entry (zeros and Nones when nothing is credited to it)."""
    if level == Level.ORG:
        raise ValueError("figures_per is for people or teams; use figures(subject=Subject.org(), ...)")
    wanted = list(dict.fromkeys(ids))
    chosen = _metrics(metrics)
    measured = _measure(chosen, _frame(period, today), level, wanted, grouped=True) if wanted else {}
    return {
        pk: {
            metric.name: metric.value([measured.get(measure, {}).get(pk) for measure in metric.measures])
            for metric in chosen
        }
        for pk in wanted
    }


def achievement(actual: Value, target: Value) -> float | None:
    """R22 达成率 = actual / target (1,000,000 target, 800,000 actual → 0.8); None without a target (none
    set, or 0) or without an actual figure: shown as such, never a division error."""
    if actual is None or target is None or target == 0:
        return None
    if isinstance(actual, int) and isinstance(target, int):
        return actual / target
    return float(Decimal(actual) / Decimal(target))
