"""The ``pool_recycle`` job (R15): each working day, customers not followed up in time return to the pool."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.customers.pool.services import pool_recycle
from salesops.jobs.registry import register


@register(
    "pool_recycle",
    at=dt.time(1, 0),
    workdays_only=True,
    description=_("Returns customers not followed up for their grade's number of working days to the public pool."),
)
def pool_recycle_job(day: dt.date) -> dict[str, int]:
    return pool_recycle(day=day)
