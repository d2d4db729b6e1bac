"""Fixtures for the task tests: a settable clock, a customer, proof bytes, a task factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.followups.tests.conftest import JPEG, PDF, PNG, Clock, local
from salesops.tasks import services
from salesops.tasks.models import Task
from salesops.testing.actors import Actors

__all__ = ["JPEG", "PDF", "PNG", "local", "pdf", "photo"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Proof files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(local(2026, 3, 4, 16, 0))  # a Wednesday, a working day
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


def photo(name: str = "visit.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def customer(actors: Actors) -> Customer:
    return Customer.objects.create(owner=actors.rep_a1, name="苏州恒通精密机械有限公司", grade="A")


@pytest.fixture
def make_task(actors: Actors, clock: Clock) -> Callable[..., Task]:
    """``make_task(by=lead_a, assignee=rep_a1, ...)``: a task through the service, due in two days."""

    def make(by=None, assignee=None, **fields) -> Task:
        by = by if by is not None else actors.lead_a
        fields.setdefault("title", "拜访苏州恒通")
        fields.setdefault("standard", "拍摄拜访照片并记录客户需求")
        fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=2))
        return services.task_create(by=by, assignee=assignee or actors.rep_a1, **fields)

    return make
