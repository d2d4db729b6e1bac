"""The ``morning_brief`` job (R3): every team's brief of the day, ready at the brief time of the rule
settings, on working days only (R2)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.daily.brief.services import briefs_generate
from salesops.jobs.registry import register
from salesops.organisation.selectors import rule_settings


@register(
    "morning_brief",
    at=lambda: rule_settings().brief_ready_at,
    workdays_only=True,
    description=_("Generates every team's morning brief of the day: yesterday's figures against the targets, "
                  "key customers, open problems, tasks and today's targets."),
)
def morning_brief(day: dt.date) -> dict[str, int]:
    return briefs_generate(day=day)
