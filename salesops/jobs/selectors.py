"""Reads of the job schedule and its run records."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from salesops.jobs import registry
from salesops.jobs.models import JobRun


def jobs_by_time() -> list[registry.Job]:
    """Registered jobs in the order they run in a day (then by name)."""
    return sorted(registry.all_jobs(), key=lambda job: (job.time(), job.name))


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
