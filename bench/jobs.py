"""The scheduled jobs the harness times, after the endpoints: a feature adds its heavy jobs here.

Each runs once through ``jobs.services.job_run`` for the latest working day on or before today (forced,
as ``salesops run-job NAME --date D --force`` does), with its time, its number of SQL queries and what it
returned; ``target_seconds`` is the issue's target at L.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TimedJob:
    name: str
    target_seconds: float | None = None


#: R3: every team's morning brief (100 teams at L in at most 30 s).
JOBS = [TimedJob("morning_brief", target_seconds=30.0)]


def _workday() -> dt.date:
    from salesops.core.clock import local_today
    from salesops.organisation.selectors import work_calendar

    today = local_today()
    calendar = work_calendar()
    return today if calendar.is_workday(today) else calendar.previous_workday(today)


def run_jobs(notes: list[str]) -> list[dict[str, Any]]:
    """Time each job of ``JOBS`` once; a job that fails is a note, not a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesops.jobs.services import job_run

    day = _workday()
    rows: list[dict[str, Any]] = []
    for job in JOBS:
        started = time.perf_counter()
        try:
            with CaptureQueriesContext(connection) as queries:
                outcome = job_run(name=job.name, day=day, force=True)
        except Exception as exc:
            notes.append(f"job {job.name} for {day} failed: {type(exc).__name__}: {exc}")
            continue
        seconds = time.perf_counter() - started
        if outcome.run.status != "done":
            notes.append(f"job {job.name} for {day} ended {outcome.run.status}: {outcome.run.error}")
            continue
        rows.append({"job": job.name, "date": day.isoformat(), "seconds": round(seconds, 3),
                     "queries": len(queries), "result": outcome.run.result, "target_seconds": job.target_seconds})
    return rows
