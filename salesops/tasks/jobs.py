"""The ``tasks_overdue`` job (R20): late tasks flagged to their assignee and assigner, once per task per day."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.jobs.registry import register
from salesops.tasks.services import tasks_flag_overdue


@register(
    "tasks_overdue",
    at=dt.time(8, 0),
    workdays_only=False,
    description=_("Tells the assignee and the assigner of every task past its deadline and not done, once a day."),
)
def tasks_overdue(day: dt.date) -> dict[str, int]:
    return tasks_flag_overdue(day=day)
