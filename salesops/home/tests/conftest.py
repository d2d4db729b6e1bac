"""Fixtures for the home page tests: a fixed clock (a Wednesday afternoon), customers and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp

WEDNESDAY = dt.date(2026, 3, 4)  # a working day; that week runs Monday 03-02 to Sunday 03-08


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class Clock:
    now: dt.datetime


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(local(WEDNESDAY, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def make_customer() -> Callable[..., Customer]:
    def make(owner: User | None, due: dt.date | None, **fields: object) -> Customer:
        fields.setdefault("name", f"客户{Customer.objects.count() + 1}有限公司")
        fields.setdefault("grade", "B")
        fields.setdefault("graded_at", local(dt.date(2026, 2, 2)))
        return Customer.objects.create(owner=owner, next_due_at=due, **fields)

    return make


@pytest.fixture
def make_followup() -> Callable[..., FollowUp]:
    """A record written straight to the table (the service's rules are tested in followups)."""

    def make(author: User, customer: Customer, at: dt.datetime, late: bool = False, **fields: object) -> FollowUp:
        fields.setdefault("key_points", "电话沟通报价")
        return FollowUp.objects.create(
            author=author, customer=customer, contacted_at=at, channel="phone", late=late, **fields
        )

    return make
