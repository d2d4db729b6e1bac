"""Where features add their data to the demo organisation and to the benchmark generator.

The demo and the generator first create the organisation and its people (``salesops.demo.people`` and
``salesops.demo.generator``); then they run the steps registered here, in registration order. A feature
registers its steps in a ``demo_data`` module of its app, which ``discover()`` imports in
``INSTALLED_APPS`` order (put a step that needs customers after the customers app in that list)::

    # salesops/customers/demo_data.py
    from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step

    def demo_customers(ctx: DemoContext) -> None:
        for rep in ctx.progress(ctx.reps, desc="customers"):
            ...  # create through the feature's services, so the demo has real history

    def generate_customers(ctx: GeneratorContext) -> None:
        ctx.bulk_create(Customer, (Customer(...) for ...), total=...)  # lazy rows, batched inserts

    def wipe_customers(generated_users: QuerySet[User]) -> None:
        Customer.objects.filter(owner__in=generated_users).delete()

    register_demo_step("customers", demo_customers)
    register_generator_step("customers", generate_customers, wipe=wipe_customers)

A demo step makes a few believable rows through the services; a generator step makes millions of rows
with ``ctx.bulk_create`` (no query per row). ``wipe`` removes a step's rows before ``generate --wipe``
deletes the generated people; wipes run in reverse registration order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules
from tqdm import tqdm

from salesops.accounts.models import Team, User

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


def step_rng(seed: int | str, name: str) -> random.Random:
    """One random stream per step, so adding a step never changes the data of the others."""
    return random.Random(f"{seed}:{name}")  # noqa: S311  (test data, not secrets)


@dataclass
class Progress:
    """Progress bars on the terminal (tqdm); off when asked to be quiet, or when stderr is not a terminal."""

    enabled: bool = True

    def __call__(self, iterable: Iterable[T], *, desc: str, total: int | None = None) -> Iterator[T]:
        return iter(tqdm(iterable, desc=desc, total=total, unit="rows", disable=None if self.enabled else True))

    def bar(self, *, desc: str, total: int | None) -> tqdm[Any]:
        return tqdm(desc=desc, total=total, unit="rows", unit_scale=True, disable=None if self.enabled else True)


@dataclass(frozen=True)
class Scale:
    """A benchmark size. The per-rep volumes are what the later generator steps must produce."""

    name: str
    teams: int
    reps_per_team: int
    customers_per_rep: int = 500
    followups_per_customer: int = 10

    @property
    def directors(self) -> int:
        """One director per ten teams (rounded up)."""
        return -(-self.teams // 10)

    @property
    def reps(self) -> int:
        return self.teams * self.reps_per_team

    @property
    def people(self) -> int:
        """Reps, one lead per team, the directors and one admin."""
        return self.reps + self.teams + self.directors + 1


@dataclass
class DemoContext:
    """What a demo step gets: the demo organisation's people and teams, a seeded random stream, today."""

    admin: User
    director: User
    teams: list[Team]
    leads: list[User]
    reps: list[User]
    today: dt.date
    rng: random.Random
    progress: Progress = field(default_factory=Progress)

    def reps_of(self, team: Team) -> list[User]:
        return [rep for rep in self.reps if rep.team_id == team.pk]


@dataclass
class GeneratorContext:
    """What a generator step gets: the scale, ids of the generated people, and batched inserts."""

    scale: Scale
    seed: int
    today: dt.date
    rng: random.Random
    admin_id: int
    director_ids: list[int]
    team_ids: list[int]
    lead_by_team: dict[int, int]
    reps_by_team: dict[int, list[int]]
    batch_size: int = 2000
    counts: Counter[str] = field(default_factory=Counter)
    progress: Progress = field(default_factory=Progress)

    @property
    def rep_ids(self) -> list[int]:
        return [rep for team_id in self.team_ids for rep in self.reps_by_team[team_id]]

    def bulk_create(
        self, model: type[M], rows: Iterable[M], *, total: int | None = None, desc: str = "", keep: bool = False
    ) -> list[M]:
        """Insert ``rows`` (best a generator, so millions never sit in memory) in batches of ``batch_size``.

        Returns the created objects, with primary keys, only when ``keep`` is set.
        """
        kept: list[M] = []
        iterator = iter(rows)
        with self.progress.bar(desc=desc or str(model._meta.verbose_name_plural), total=total) as bar:
            while chunk := list(islice(iterator, self.batch_size)):
                created = model._default_manager.bulk_create(chunk)
                if keep:
                    kept.extend(created)
                self.counts[model._meta.label] += len(chunk)
                bar.update(len(chunk))
        return kept


DemoFunc = Callable[[DemoContext], None]
GeneratorFunc = Callable[[GeneratorContext], None]
WipeFunc = Callable[["QuerySet[User]"], None]


@dataclass(frozen=True)
class DemoStep:
    name: str
    func: DemoFunc


@dataclass(frozen=True)
class GeneratorStep:
    name: str
    func: GeneratorFunc
    wipe: WipeFunc | None = None


_demo_steps: dict[str, DemoStep] = {}
_generator_steps: dict[str, GeneratorStep] = {}


def register_demo_step(name: str, func: DemoFunc) -> None:
    """Add a step to ``salesops demo``; it runs after the people and after the steps registered before it."""
    step = DemoStep(name, func)
    if _demo_steps.get(name, step) != step:
        raise ImproperlyConfigured(f"A different demo step named {name!r} is registered already.")
    _demo_steps[name] = step


def register_generator_step(name: str, func: GeneratorFunc, *, wipe: WipeFunc | None = None) -> None:
    """Add a step to ``salesops generate``; ``wipe`` deletes its rows of generated people for ``--wipe``."""
    step = GeneratorStep(name, func, wipe)
    if _generator_steps.get(name, step) != step:
        raise ImproperlyConfigured(f"A different generator step named {name!r} is registered already.")
    _generator_steps[name] = step


def discover() -> None:
    """Import every installed app's ``demo_data`` module, which registers that app's steps."""
    autodiscover_modules("demo_data")


def demo_steps() -> list[DemoStep]:
    discover()
    return list(_demo_steps.values())


def generator_steps() -> list[GeneratorStep]:
    discover()
    return list(_generator_steps.values())
