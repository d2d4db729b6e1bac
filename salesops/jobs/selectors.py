"""Reads of the job schedule and its run records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from salesops.jobs import registry
from salesops.jobs.models import JobRun


def schedule() -> list[tuple[registry.Job, dt.time]]:
    """Registered jobs with their time of day, in the order they run (then by name); each time is read
    once (a time taken from the rule settings is a query)."""
    return sorted(((job, job.time()) for job in registry.all_jobs()), key=lambda pair: (pair[1], pair[0].name))


def jobs_by_time() -> list[registry.Job]:
    """Registered jobs in the order they run in a day (then by name)."""
    return [job for job, _at in schedule()]


def recent_runs(*, names: list[str], limit: int) -> dict[str, list[JobRun]]:
    """The latest ``limit`` runs of each named job, newest date first, in one query."""
    rows = (
        JobRun.objects.filter(name__in=names)
        .annotate(rank=Window(RowNumber(), partition_by=[F("name")], order_by=[F("date").desc()]))
        .filter(rank__lte=limit)
        .order_by("name", "-date")
    )
    runs: dict[str, list[JobRun]] = defaultdict(list)
    for run in rows:
        runs[run.name].append(run)
    return runs
