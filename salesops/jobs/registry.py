"""The one registry of scheduled jobs: a name, when it runs, and what it does.

A job is a function ``(day) -> dict | None`` that does the work of one date and returns a short summary
(counts) that is stored on its JobRun. It must be idempotent per date: the scheduler runs it once per
date, and ``run-job`` or the API may run it again on demand. Jobs are thin: they load rows and call a
service. A job runs in one transaction, so a failing job leaves nothing half done; a ``workdays_only``
job is never run for a day off (R2). Its time is either fixed (``datetime.time``) or read from the
rule settings each time it is needed (a callable, e.g. ``lambda: rule_settings().brief_ready_at`` for
R3), so an admin's change of a rule setting moves the schedule without a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

JobFunction = Callable[[dt.date], "dict[str, Any] | None"]
JobTime = dt.time | Callable[[], dt.time]


class UnknownJobError(LookupError):
    """Raised for a name no job is registered under; the message lists the names that exist."""

    def __init__(self, name: str) -> None:
        self.name = name
        known = ", ".join(sorted(_jobs)) or "-"
        super().__init__(_("No job is named %(name)s. The jobs are: %(known)s.") % {"name": name, "known": known})


@dataclass(frozen=True)
class Job:
    """A registered job: ``workdays_only`` jobs run on working days of ``work_calendar()`` only (R2)."""

    name: str
    function: JobFunction
    at: JobTime
    workdays_only: bool
    description: str | Promise

    def time(self) -> dt.time:
        """The time of day (organisation time zone) the job is due, read now."""
        value = self.at() if callable(self.at) else self.at
        if not isinstance(value, dt.time):
            raise TypeError(f"Job {self.name!r}: its time must be a datetime.time, not {value!r}.")
        return value


_jobs: dict[str, Job] = {}


def register(
    name: str, *, at: JobTime, workdays_only: bool = True, description: str | Promise
) -> Callable[[JobFunction], JobFunction]:
    """Decorator: register ``function`` as the job ``name``. A name may be registered once only."""
    if not name or not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"Job names are ASCII letters, digits and underscores: {name!r} is not.")
    if not isinstance(at, dt.time) and not callable(at):
        raise TypeError(f"Job {name!r}: 'at' must be a datetime.time or a callable returning one.")

    def decorator(function: JobFunction) -> JobFunction:
        if name in _jobs:
            raise ValueError(f"A job named {name!r} is registered already.")
        _jobs[name] = Job(name=name, function=function, at=at, workdays_only=workdays_only, description=description)
        return function

    return decorator


def get(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJobError(name) from None


def all_jobs() -> list[Job]:
    """Every registered job, in name order."""
    return [_jobs[name] for name in sorted(_jobs)]
