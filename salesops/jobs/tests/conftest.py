"""Throwaway jobs for the job-system tests, in a registry of their own that is restored afterwards."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation

from salesops.jobs import registry


@dataclass
class FakeJob:
    """A registered test job that records the dates it ran for and how many of it ran at the same time
    (``most_at_once``); it can fail or take a while."""

    name: str
    calls: list[dt.date] = field(default_factory=list)
    fail: bool = False
    seconds: float = 0.0
    running: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, day: dt.date) -> dict[str, Any]:
        with self.lock:
            self.calls.append(day)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if self.seconds:
                time.sleep(self.seconds)
            if self.fail:
                raise RuntimeError(f"{self.name} broke on {day.isoformat()}")
            return {"day": day, "count": len(self.calls)}
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English (their msgids), whatever the default language is."""
    with translation.override("en"):
        yield


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, registry.Job]:
    """An empty registry for the test; the real one (builtin and feature jobs) comes back afterwards."""
    jobs: dict[str, registry.Job] = {}
    monkeypatch.setattr(registry, "_jobs", jobs)
    return jobs


@pytest.fixture
def add_job(isolated_registry: dict[str, registry.Job]) -> Callable[..., FakeJob]:
    """``add_job(name, at=..., workdays_only=..., fail=..., seconds=...)`` registers a FakeJob."""

    def make(
        name: str,
        *,
        at: registry.JobTime = dt.time(8, 20),
        workdays_only: bool = True,
        fail: bool = False,
        seconds: float = 0.0,
    ) -> FakeJob:
        job = FakeJob(name=name, fail=fail, seconds=seconds)
        registry.register(name, at=at, workdays_only=workdays_only, description=f"Test job {name}.")(job)
        return job

    return make
