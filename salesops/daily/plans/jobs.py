"""The ``plan_check`` job (R7): at the plan deadline, plans not submitted are flagged to the lead, once per
person per day, on working days only."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.daily.plans.requests import plans_flag_missing
from salesops.jobs.registry import register
from salesops.organisation.selectors import rule_settings


@register(
    "plan_check",
    at=lambda: rule_settings().plan_due_at,
    description=_("Tells each lead which of their people have not submitted the day's plan by the deadline."),
)
def plan_check(day: dt.date) -> dict[str, int]:
    return plans_flag_missing(day=day)
