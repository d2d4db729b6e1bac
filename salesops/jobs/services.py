"""Running scheduled jobs once per date, and deciding which are due.

A job runs for a *date* of the organisation's time zone (``settings.TIME_ZONE``, Asia/Shanghai by
default, R2). The JobRun row of (name, date) is the claim: ``job_run`` moves it to ``running`` under a
row lock, so of two consumers, or a consumer and a manual run, exactly one runs the job; the other sees
the claim and does nothing. A failing job is recorded as failed and logged, never raised into the
consumer. A worker killed mid-run leaves its row ``running`` (or a lost message leaves it ``queued``);
after ``STALE_AFTER`` such a row counts as abandoned and may be claimed again, which is safe because
jobs are idempotent per date.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.clock import day_start
from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.jobs.selectors import schedule
from salesops.organisation.selectors import work_calendar

logger = logging.getLogger(__name__)

#: A ``queued`` or ``running`` row untouched this long is abandoned (lost message, killed worker).
STALE_AFTER = dt.timedelta(hours=1)
#: JobRun rows are kept this many days; a job may run for a date this far back at most, so the
#: record that makes it run once per date is never purged while the date can still be run.
JOB_RUN_RETENTION_DAYS = 180
#: Login attempts and logs (django-axes) are kept this many days.
LOGIN_RECORD_RETENTION_DAYS = 30


@dataclass(frozen=True)
class RunOutcome:
    """What ``job_run`` did: ``ran`` is False when the job had run (or was running) already."""

    run: JobRun
    ran: bool


def org_localtime(now: dt.datetime) -> dt.datetime:
    """``now`` in the organisation's time zone (settings.TIME_ZONE), whatever zone is active."""
    return timezone.localtime(now, timezone.get_default_timezone())


def _abandoned(run: JobRun, now: dt.datetime) -> bool:
    if run.status not in (JobRun.Status.QUEUED, JobRun.Status.RUNNING):
        return False
    since = run.queued_at if run.status == JobRun.Status.QUEUED else run.started_at
    return since is None or now - since > STALE_AFTER


def _check_day(job: registry.Job, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ValidationError(
            {"date": _("A job cannot run for a future date; today is %(today)s.") % {"today": today.isoformat()}}
        )
    if day < today - dt.timedelta(days=JOB_RUN_RETENTION_DAYS):
        raise ValidationError(
            {"date": _("A job can run for the last %(days)d days only.") % {"days": JOB_RUN_RETENTION_DAYS}}
        )
    if job.workdays_only and not work_calendar().is_workday(day):
        raise ValidationError(
            {
                "date": _("The job %(name)s runs on working days only, and %(date)s is not a working day.")
                % {"name": job.name, "date": day.isoformat()}
            }
        )


@transaction.atomic
def _claim(*, name: str, day: dt.date, force: bool, now: dt.datetime) -> tuple[JobRun, bool]:
    """Take the (name, day) row for this caller. The unique constraint serialises two creators; the
    row lock serialises two callers over an existing row, so exactly one of them gets True."""
    run, created = JobRun.objects.select_for_update().get_or_create(
        name=name, date=day, defaults={"status": JobRun.Status.RUNNING, "started_at": now, "attempts": 1}
    )
    if created:
        return run, True
    rerun = force and run.status in (JobRun.Status.DONE, JobRun.Status.FAILED)
    if not (run.status == JobRun.Status.QUEUED or rerun or _abandoned(run, now)):
        return run, False
    run.status = JobRun.Status.RUNNING
    run.started_at = now
    run.finished_at = None
    run.result = None
    run.error = ""
    run.attempts += 1
    run.save(update_fields=["status", "started_at", "finished_at", "result", "error", "attempts"])
    return run, True


def _as_json(result: object) -> dict[str, Any] | None:
    if result is not None and not isinstance(result, dict):
        raise TypeError(f"A job returns a dict or None, not {type(result).__name__}.")
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder)) if result is not None else None


def _finish(run: JobRun, *, status: str, result: dict[str, Any] | None, error: str) -> None:
    run.status = status
    run.result = result
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "error", "finished_at"])


def job_run(*, name: str, day: dt.date, force: bool = False) -> RunOutcome:
    """Run the job ``name`` for ``day`` unless it ran (or is running) for that day; ``force`` re-runs a
    done or failed one. Raises ``UnknownJobError`` for an unknown name and ``ValidationError`` for a
    future date, a date older than the run records, or a non-working day for a working-days job.

    Deliberately not one transaction: the claim commits first (so others see ``running``), the job runs
    in its own transaction (its partial work rolls back when it fails), then the outcome commits.
    """
    job = registry.get(name)
    now = timezone.now()
    _check_day(job, day, org_localtime(now).date())
    run, claimed = _claim(name=name, day=day, force=force, now=now)
    if not claimed:
        return RunOutcome(run=run, ran=False)
    try:
        with transaction.atomic():
            result = _as_json(job.function(day))
    except Exception as exc:
        logger.exception("Job %s for %s failed", name, day.isoformat())
        _finish(run, status=JobRun.Status.FAILED, result=None, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(run, status=JobRun.Status.DONE, result=result, error="")
    return RunOutcome(run=run, ran=True)


@transaction.atomic
def job_queue(*, name: str, day: dt.date) -> bool:
    """The scheduler hands (name, day) to the consumer: True when it should enqueue it now, i.e. the
    row is new or abandoned; False when another scheduler tick or a manual run got there first."""
    now = timezone.now()
    run, created = JobRun.objects.select_for_update().get_or_create(
        name=name, date=day, defaults={"status": JobRun.Status.QUEUED, "queued_at": now}
    )
    if created:
        return True
    if not _abandoned(run, now):
        return False
    run.status = JobRun.Status.QUEUED
    run.queued_at = now
    run.save(update_fields=["status", "queued_at"])
    return True


def jobs_due(*, now: dt.datetime, scheduled: list[tuple[registry.Job, dt.time]] | None = None) -> list[registry.Job]:
    """The jobs due at ``now``: today (organisation time zone) their time has come, today is a working
    day if they need one (R2), and they have not run today. A job whose time passed while the consumer
    was down is due until it runs (catch-up), but only for today: missed earlier days are not re-run.
    ``scheduled`` is ``selectors.schedule()`` when the caller has read it already."""
    local = org_localtime(now)
    today, time_of_day = local.date(), local.time()
    runs = {run.name: run for run in JobRun.objects.filter(date=today)}
    is_workday: bool | None = None
    due = []
    for job, at in scheduled if scheduled is not None else schedule():
        if at > time_of_day:
            continue
        if job.workdays_only:
            if is_workday is None:
                is_workday = work_calendar().is_workday(today)
            if not is_workday:
                continue
        run = runs.get(job.name)
        if run is None or _abandoned(run, now):
            due.append(job)
    return due


def _purge(queryset: QuerySet[Any]) -> int:
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


@transaction.atomic
def records_purge(*, day: dt.date) -> dict[str, int]:
    """Housekeeping for ``day``: delete expired sessions, and login attempts and logs older than 30 days
    and job runs older than 180 days, both counted back from ``day``; returns what it deleted."""
    start = day_start(day)
    login_cutoff = start - dt.timedelta(days=LOGIN_RECORD_RETENTION_DAYS)
    return {
        "sessions": _purge(Session.objects.filter(expire_date__lt=timezone.now())),
        "access_attempts": _purge(AccessAttempt.objects.filter(attempt_time__lt=login_cutoff)),
        "access_failures": _purge(AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff)),
        "access_logs": _purge(AccessLog.objects.filter(attempt_time__lt=login_cutoff)),
        "job_runs": _purge(JobRun.objects.filter(date__lt=day - dt.timedelta(days=JOB_RUN_RETENTION_DAYS))),
    }
