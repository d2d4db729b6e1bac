"""How the apps above customers take part in its changes (LAYOUT: customers imports none of them).

A customer's follow-ups, tasks and deals hang off it, but customers sits below those apps, so it cannot
call them. Instead it announces what happened, and each app connects its receivers in its
``AppConfig.ready``:

- ``customers_changed``: customers were created, changed grade or owner, or were merged into (the
  ``change`` argument says which). Sent inside the service's transaction, after the rows are written;
  a receiver's error undoes the change. followups recomputes the cadence (R10) of ``customer_ids``.
- ``customer_merged``: ``other`` is being merged into ``survivor`` (R15). Every app moves its own records
  of ``other`` to ``survivor`` with its own service, keeping their history (R12); customers moves only
  what it owns (contacts, ownership events, tags).

Two registries serve the pages and the bulk writers:

- ``register_timeline_source``: a function adding its entries (a follow-up, later a task or a deal) to
  the customer page's timeline, read within the viewer's scope (R1).
- ``provide_cadence_rule``: the one R10 rule (followups.cadence) for the writers that create customers
  in bulk without their services (the sheet import, the demo generator) and store the due dates with
  the rows, where a recompute afterwards would cost a second pass over every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.dispatch import Signal

if TYPE_CHECKING:
    from salesops.accounts.models import User
    from salesops.customers.models import Customer

#: Arguments: ``customer_ids`` (list of ints), ``change`` (one of ``CHANGES``).
customers_changed = Signal()
CHANGES = ("created", "grade", "owner", "merged")

#: Arguments: ``survivor`` and ``other`` (locked Customer rows), ``by`` (User), ``reason`` (str),
#: ``at`` (datetime: the moment every history row of the merge carries).
customer_merged = Signal()


def changed(customer_ids: list[int], change: str) -> None:
    """Send ``customers_changed`` for these customers (none: nothing is sent)."""
    if change not in CHANGES:
        raise ValueError(change)
    if customer_ids:
        customers_changed.send(sender=None, customer_ids=customer_ids, change=change)


@dataclass(frozen=True)
class TimelineEntry:
    """A row of the customer page's timeline; ``template`` renders ``item`` (a change, a follow-up, ...)."""

    at: dt.datetime
    template: str
    item: Any


TimelineSource = Callable[["Customer", "User", int], list[TimelineEntry]]
_timeline_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add ``source(customer, viewer, limit)`` to every customer's timeline; usable as a decorator."""
    if source not in _timeline_sources:
        _timeline_sources.append(source)
    return source


def timeline_sources() -> tuple[TimelineSource, ...]:
    return tuple(_timeline_sources)


class CadenceRule(Protocol):
    """R10 for one set of rule settings and one working calendar."""

    def interval(self, grade: str | None) -> int | None:
        """Working days between follow-ups of a grade; None: no cadence (ungraded)."""

    def next_due(self, grade: str | None, start: dt.date) -> dt.date | None:
        """When a customer with no later follow-up is next due, counted from ``start``."""

    def contract_due(self, grade: str | None, graded_on: dt.date) -> dt.date | None:
        """When an A customer's contract is to be pushed by; None for other grades."""


class NoCadence:
    """The rule while no app provides one: no customer is ever due."""

    def interval(self, grade: str | None) -> int | None:
        return None

    def next_due(self, grade: str | None, start: dt.date) -> dt.date | None:
        return None

    def contract_due(self, grade: str | None, graded_on: dt.date) -> dt.date | None:
        return None


_cadence_rule: list[Callable[[], CadenceRule]] = []


def provide_cadence_rule(factory: Callable[[], CadenceRule]) -> None:
    """Name the function that builds the R10 rule from the current settings and calendar (one app does)."""
    _cadence_rule[:] = [factory]


def cadence_rule() -> CadenceRule:
    """The R10 rule as the settings and the calendar stand now."""
    return _cadence_rule[0]() if _cadence_rule else NoCadence()
