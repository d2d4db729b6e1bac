"""The ``summary_check`` job (R17): at the summary's due time on working days, missing summaries are flagged
to whoever manages their writers, once per person per day."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.daily.summaries.services import summaries_flag_missing
from salesops.jobs.registry import register
from salesops.organisation.selectors import rule_settings


@register(
    "summary_check",
    at=lambda: rule_settings().summary_due_at,
    workdays_only=True,
    description=_("Tells the lead who has not submitted the daily summary by its due time, once per person a day."),
)
def summary_check(day: dt.date) -> dict[str, int]:
    return summaries_flag_missing(day=day)
