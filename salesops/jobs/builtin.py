"""The jobs of the platform itself; each feature registers its own jobs in its own app."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.core.dbstats import statistics_refresh
from salesops.jobs import services
from salesops.jobs.registry import register


@register(
    "housekeeping",
    at=dt.time(3, 0),
    workdays_only=False,
    description=_("Deletes expired sessions, login records older than 30 days and job runs older than 180 days."),
)
def housekeeping(day: dt.date) -> dict[str, int]:
    return services.records_purge(day=day)


@register(
    "statistics",
    at=dt.time(3, 45),
    workdays_only=False,
    description=_("Refreshes the database's planner statistics after the night's bulk changes."),
)
def statistics(day: dt.date) -> dict[str, str]:
    return {"database": statistics_refresh()}
