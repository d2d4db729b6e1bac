"""The consumer's side of the schedule (``salesops run_huey``): a tick every minute enqueues the jobs
that are due, and a task runs one of them. Both are thin; the rules live in ``services``."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from salesops.jobs.registry import UnknownJobError
from salesops.jobs.services import job_queue, job_run, jobs_due, org_localtime

logger = logging.getLogger(__name__)


@db_task(retries=0)
def run_job_task(name: str, day: dt.date, force: bool = False) -> None:
    """Run one job for one date (``force``: again, e.g. after a rule setting changed). A job's own failure
    is recorded by ``job_run``; a job removed or a day made a holiday since the tick is only logged, never
    raised into the consumer."""
    try:
        job_run(name=name, day=day, force=force)
    except (UnknownJobError, ValidationError) as exc:
        logger.warning("Job %s for %s not run: %s", name, day.isoformat(), exc)


@db_periodic_task(crontab(minute="*"))
def schedule_tick() -> None:
    """Enqueue every job due now (organisation time zone), once per date."""
    now = timezone.now()
    today = org_localtime(now).date()
    for job in jobs_due(now=now):
        if job_queue(name=job.name, day=today):
            run_job_task(job.name, today)
