"""R16 measurable targets: a task's target is counted from the data, never typed in.

A measure counts, for one person, what they did between two moments (``target_since`` to the end of the
deadline's day, in the organisation's time zone). Each event counts for the person who did it (R21): a
new customer for whoever entered it, a new A customer for its owner when it was graded A, a visit or a
follow-up for its author. Progress is read live each time a task is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from salesops.core.clock import day_start
from salesops.customers.choices import Grade
from salesops.customers.models import Customer
from salesops.followups.models import Channel, FollowUp


@dataclass(frozen=True)
class Measure:
    """One countable thing: its label and the rows of one person between two moments."""

    name: str
    label: Promise
    rows: Callable[[int, dt.datetime, dt.datetime], QuerySet]  # type: ignore[type-arg]


def _new_customers(person: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Customer]:
    return Customer.objects.filter(created_by=person, created_at__gte=start, created_at__lt=end, is_active=True)


def _new_a_customers(person: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Customer]:
    return Customer.objects.filter(owner=person, grade=Grade.A, graded_at__gte=start, graded_at__lt=end,
                                   is_active=True)


def _new_intent_customers(person: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Customer]:
    return Customer.objects.filter(owner=person, intent_at__gte=start, intent_at__lt=end, is_active=True)


def _followups(person: int, start: dt.datetime, end: dt.datetime) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(author=person, contacted_at__gte=start, contacted_at__lt=end, is_active=True)


def _visits(person: int, start: dt.datetime, end: dt.datetime) -> QuerySet[FollowUp]:
    return _followups(person, start, end).filter(channel=Channel.VISIT)


MEASURES: dict[str, Measure] = {
    measure.name: measure
    for measure in (
        Measure("new_customers", _("new customers"), _new_customers),
        Measure("new_a_customers", _("new A customers"), _new_a_customers),
        Measure("new_intent_customers", _("new intent customers"), _new_intent_customers),
        Measure("visits", _("visits"), _visits),
        Measure("followups", _("follow-ups"), _followups),
    )
}
CHOICES = [(measure.name, measure.label) for measure in MEASURES.values()]


@dataclass(frozen=True)
class Progress:
    """How far a measured target has got: ``done`` of ``target`` (``percent`` capped at 100)."""

    label: Promise
    done: int
    target: int

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.target) if self.target else 100

    @property
    def reached(self) -> bool:
        return self.done >= self.target


def progress(*, measure: str, person: int, since: dt.date, until: dt.date, target: int) -> Progress | None:
    """The live count of ``measure`` for ``person`` from ``since`` to the end of ``until``; None for a
    measure no longer known."""
    found = MEASURES.get(measure)
    if found is None:
        return None
    done = found.rows(person, day_start(since), day_start(until + dt.timedelta(days=1))).count()
    return Progress(found.label, done, target)
