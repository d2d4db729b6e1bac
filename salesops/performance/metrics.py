"""The metric registry (R21-R24): every figure the system shows is a registered ``Metric``, computed by
the engine (``performance.engine``) in SQL at its own level: per person, per team, for the organisation.

A metric says what it is (``name``: the API word, ``unit``, ``label``, ``definition`` for the help page),
who it counts for (``attribution``, R21) and how it is computed: one or more ``Measure``s, each a SQL
aggregate over the rows of a ``Source``, combined into the figure (``combine``: the single measure's
value, or a ratio of two). A ``Source`` names its rows for a period and the two columns that credit
a row: ``person`` (who did it, as it was then) and ``team`` (that person's team then, recorded on the
row when it is written, so a later transfer moves no past figure). The engine filters and groups on
those columns, so a team figure is computed over the team's rows, never summed from its people: a
customer followed up by a rep and by their lead counts once for the team when the aggregate is a
distinct count.

Adding a metric
---------------
``performance`` sits above the domains (it reads their rows; they never import it), so a domain's
metrics live here, one module per domain (``performance/followup_metrics.py``: R10 compliance, R11 late
share, customers followed up), imported in ``PerformanceConfig.ready()``::

    from django.db.models import Count, Sum
    from django.utils.translation import gettext_lazy as _

    from salesops.performance.metrics import Measure, Metric, Source, Unit, register, share

    WON = Source(
        name="deals.won",
        # the rows of the frame's period (and only active ones): the engine adds the person/team filter
        rows=lambda frame: Deal.objects.filter(status="won", won_at__gte=frame.start, won_at__lt=frame.end),
        person="won_by",    # column of the person credited (R21: the owner when it was won)
        team="won_team",    # column of that person's team at that moment
    )
    register(Metric(
        name="sales_amount", unit=Unit.AMOUNT, label=_("Sales amount"),
        definition=_("Sum of the deals signed in the period."),
        attribution=_("The deal's owner when it was won, and that person's team then."),
        measures=(Measure(WON, Sum("amount")),),
    ))
    register(Metric(
        name="collection_rate", unit=Unit.RATE, ...,
        measures=(Measure(DUE, Sum("received")), Measure(DUE, Sum("amount"))), combine=share,
    ))

Measures over the same ``Source`` object are read in one query. ``aggregate`` is a Django aggregate
(``Count("*")``, ``Count("customer", distinct=True)``, ``Sum("amount")``, with ``filter=Q(...)``) or a
function of the ``Frame`` returning one, for figures that depend on the day they are read (R10's "overdue
today"). A ``snapshot`` metric describes the state on ``frame.today`` (cadence compliance, R10) rather
than events of the period. Metric modules import this module, the period and their own models only:
the registry knows no domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Aggregate, Count, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from salesops.performance.periods import Period

#: A figure: an amount (Decimal CNY), a count, a rate (0.8 for 80 %), or None ("no figure": a rate
#: without a denominator, never a division error).
Value = Decimal | int | float | None
CENT = Decimal("0.01")


class Unit(StrEnum):
    """What a figure measures; R24 compares amounts and counts in relative %, rates in points."""

    AMOUNT = "amount"
    COUNT = "count"
    RATE = "rate"


class Aggregation(StrEnum):
    """How a figure is computed at each level (all of them directly in SQL at that level):
    ``sum`` of amounts and ``count`` of rows add up over the people credited; a ``distinct`` count
    (customers) does not (one customer of two people counts once for their team); a ``ratio`` is the
    level's numerator over the level's denominator."""

    SUM = "sum"
    COUNT = "count"
    DISTINCT = "distinct"
    RATIO = "ratio"


class Level(StrEnum):
    """Whose figure: one person's (``user:<id>``), one team's or several teams' together, the organisation's."""

    PERSON = "person"
    TEAM = "team"
    ORG = "org"


@dataclass(frozen=True)
class Frame:
    """What a computation is about: the period, and the day it is read (``today``, for snapshots)."""

    period: Period
    today: dt.date

    @property
    def start(self) -> dt.datetime:
        return self.period.start

    @property
    def end(self) -> dt.datetime:
        return self.period.end


@dataclass(frozen=True, eq=False)
class Source:
    """Rows that figures are counted over, and the two columns that credit a row (R21)."""

    name: str
    rows: Callable[[Frame], QuerySet[Any]]
    person: str
    team: str


@dataclass(frozen=True, eq=False)
class Measure:
    """One SQL aggregate over a source's rows."""

    source: Source
    aggregate: Aggregate | Callable[[Frame], Aggregate]

    def expression(self, frame: Frame) -> Aggregate:
        return self.aggregate if isinstance(self.aggregate, Aggregate) else self.aggregate(frame)


def first(values: Sequence[Any]) -> Any:
    """The figure of a one-measure metric: its measure's value."""
    return values[0]


def share(values: Sequence[Any]) -> float | None:
    """The figure of a rate: numerator / denominator, None when the denominator is 0 (no figure)."""
    numerator, denominator = values
    if not denominator:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int):
        return numerator / denominator  # exactly rounded, as a plain recomputation gets it
    return float(Decimal(numerator) / Decimal(denominator))


@dataclass(frozen=True, eq=False)
class Metric:
    """A figure of R21 (or beyond): see the module docstring for how to define and register one."""

    name: str
    unit: Unit
    label: str | Promise
    definition: str | Promise
    attribution: str | Promise
    measures: tuple[Measure, ...]
    combine: Callable[[Sequence[Any]], Any] = first
    snapshot: bool = False

    @property
    def aggregation(self) -> Aggregation:
        if self.unit == Unit.RATE or len(self.measures) > 1:
            return Aggregation.RATIO
        aggregate = self.measures[0].aggregate
        if isinstance(aggregate, Sum):
            return Aggregation.SUM
        if isinstance(aggregate, Count) and getattr(aggregate, "distinct", False):
            return Aggregation.DISTINCT
        return Aggregation.COUNT

    @property
    def additive(self) -> bool:
        """Whether a target of this metric may be split into people's shares that add up (R4)."""
        return self.aggregation in (Aggregation.SUM, Aggregation.COUNT)

    def value(self, raw: Sequence[Any]) -> Value:
        """The figure from its measures' values (None from SQL, an empty sum, counts as 0)."""
        figure = self.combine([0 if item is None else item for item in raw])
        if figure is None:
            return None
        if self.unit == Unit.AMOUNT:
            return Decimal(figure).quantize(CENT)
        if self.unit == Unit.COUNT:
            return int(figure)
        return float(figure)


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Add ``metric`` to the registry; a name (an API word: lower case and underscores) is taken once."""
    if not metric.name.replace("_", "").isalpha() or not metric.name.islower() or not metric.name.isascii():
        raise ValueError(f"A metric's name is an API word of lower-case letters and underscores: {metric.name!r}")
    if metric.name in _registry:
        raise ValueError(f"A metric named {metric.name!r} is registered already.")
    if not metric.measures:
        raise ValueError(f"The metric {metric.name!r} has no measure.")
    _registry[metric.name] = metric
    return metric


def get(name: str) -> Metric:
    """The metric registered under ``name``; ``ValidationError`` (400 in the API) for an unknown name."""
    try:
        return _registry[name]
    except KeyError:
        raise ValidationError(
            {"metrics": [_("%(name)s is not a metric. The metrics are: %(known)s.")
                         % {"name": name[:40], "known": ", ".join(_registry)}]},
            code="invalid",
        ) from None


def registered() -> list[Metric]:
    """Every metric, in the order the apps registered them."""
    return list(_registry.values())


def names() -> list[str]:
    return list(_registry)
