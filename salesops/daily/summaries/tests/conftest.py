"""Fixtures for the summary tests: a settable clock on a working Wednesday, a customer of rep_a1's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from salesops.customers import services as customer_services
from salesops.customers.models import Customer
from salesops.followups.tests.conftest import Clock, local
from salesops.testing.actors import Actors

__all__ = ["Clock", "local"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(local(2026, 3, 4, 16, 0))  # a Wednesday, a working day, before the 17:30 due time
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def customer(actors: Actors) -> Customer:
    return customer_services.customer_create(by=actors.rep_a1, owner=actors.rep_a1, name="苏州恒通精密机械有限公司")
