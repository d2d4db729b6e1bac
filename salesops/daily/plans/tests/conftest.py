"""Fixtures for the plan tests: a settable clock at 08:50 on a working day (the plan window opens at 09:00),
customers of rep_a1 with locations in Suzhou, and a plan factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.daily.plans import services
from salesops.daily.plans.models import DailyPlan
from salesops.followups.tests.conftest import Clock, local
from salesops.testing.actors import Actors

__all__ = ["local"]

#: Wednesday 2026-03-04, a working day.
DAY = dt.date(2026, 3, 4)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(local(2026, 3, 4, 8, 50))
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def make_customer(actors: Actors) -> Callable[..., Customer]:
    """``make_customer(name, owner=rep_a1, due=DAY, at=(lat, lon))``: an active customer."""

    def make(name: str, owner=None, due: dt.date | None = None, at: tuple[str, str] | None = None,
             **fields) -> Customer:
        lat, lon = (Decimal(at[0]), Decimal(at[1])) if at else (None, None)
        return Customer.objects.create(owner=owner or actors.rep_a1, name=name, next_due_at=due, latitude=lat,
                                       longitude=lon, grade=fields.pop("grade", "B"), **fields)

    return make


@pytest.fixture
def make_plan(actors: Actors, clock: Clock) -> Callable[..., DailyPlan]:
    """``make_plan(by=rep_a1, day=DAY, customers=[...], route=[...])``: a plan through the service."""

    def make(by=None, day: dt.date = DAY, **fields) -> DailyPlan:
        return services.plan_create(by=by or actors.rep_a1, day=day, **fields)

    return make
