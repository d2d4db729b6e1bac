"""Fixtures for the follow-up tests: a settable clock, customers of the named actors, photo bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.testing.actors import Actors

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@dataclass
class Clock:
    """The server's time, fixed for a test (``django.utils.timezone.now`` answers it)."""

    now: dt.datetime

    def set(self, moment: dt.datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(local(2026, 3, 4, 16, 0))  # a Wednesday, a working day
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def make_customer(actors: Actors) -> Callable[..., Customer]:
    def make(owner=None, **fields) -> Customer:
        fields.setdefault("name", "苏州恒通精密机械有限公司")
        fields.setdefault("grade", "A")
        fields.setdefault("graded_at", local(2026, 3, 2, 9))
        return Customer.objects.create(owner=owner, **fields)

    return make


@pytest.fixture
def due_customers(actors: Actors, make_customer: Callable[..., Customer], clock: Clock) -> dict[str, Customer]:
    """rep_a1's customers overdue by two days, due today and due in three days; rep_a2's overdue by one."""
    today = timezone.localdate()
    return {
        "overdue": make_customer(owner=actors.rep_a1, name="逾期客户", next_due_at=today - dt.timedelta(days=2)),
        "today": make_customer(owner=actors.rep_a1, name="今日客户", next_due_at=today),
        "later": make_customer(owner=actors.rep_a1, name="以后客户", next_due_at=today + dt.timedelta(days=3)),
        "colleague": make_customer(owner=actors.rep_a2, name="同事客户", next_due_at=today - dt.timedelta(days=1)),
    }
