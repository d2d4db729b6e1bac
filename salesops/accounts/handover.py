"""A leaver's open work (R15: "a rep leaves: customers and open work move").

People sit below every app that gives them work (customers, and later tasks and deals), so accounts cannot
call those apps. Each of them registers what it holds in a person's name, in its ``AppConfig.ready``::

    register_open_work(OpenWork(
        name="customers",
        count=lambda person: ...,          # how many open items the person holds
        move=lambda handover: ...,         # move them all with the app's own service; returns how many
        describe=lambda n: ngettext("%(count)d customer", "%(count)d customers", n) % {"count": n},
    ))

``accounts.services.user_deactivate`` asks every registry entry before a person is deactivated: work left
and no receiver chosen is refused, never stranded; otherwise each entry moves its items with its own
service (ownership log, history, notifications), all in the deactivation's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from salesops.accounts.models import User


class MoveTo(models.TextChoices):
    """Where a leaver's work goes (the API's words)."""

    USER = "user", _("To a person I name")
    LEAD = "lead", _("To the team's lead")
    POOL = "pool", _("To the public pool")


@dataclass(frozen=True)
class Handover:
    """One leaver's work on its way: ``to_user`` receives it, or None for the public pool.

    Work that has no pool (a task) goes to ``to_user`` or, when the rest goes to the pool, to
    ``fallback``: the leaver's team lead (None when there is none, or the leaver is the lead; the app
    then refuses with ``core.errors.Invalid``)."""

    person: User
    by: User
    to_user: User | None
    fallback: User | None
    reason: str


@dataclass(frozen=True)
class OpenWork:
    """One app's work held in a person's name."""

    name: str
    count: Callable[[User], int]
    move: Callable[[Handover], int]
    #: "37 customers" in the user's language.
    describe: Callable[[int], str]


_registry: dict[str, OpenWork] = {}


def register_open_work(work: OpenWork) -> OpenWork:
    """Add (or replace, by name) one kind of open work; called from an app's ``AppConfig.ready``."""
    _registry[work.name] = work
    return work


def open_work() -> tuple[OpenWork, ...]:
    return tuple(_registry.values())


def open_work_of(person: User) -> dict[str, int]:
    """What ``person`` still holds: name → count, kinds with nothing left out."""
    counts = {work.name: work.count(person) for work in _registry.values()}
    return {name: count for name, count in counts.items() if count}


def describe(held: dict[str, int]) -> str:
    """"37 customers、2 tasks" in the user's language, for messages."""
    return "、".join(_registry[name].describe(count) for name, count in held.items())


def hand_over(handover: Handover) -> dict[str, int]:
    """Move every kind of open work; name → how many moved."""
    return {work.name: work.move(handover) for work in _registry.values()}
