"""The ``lag_alerts`` job (R19): after the workday, the reps under their daily visit target for the rule's
number of working days in a row alert their lead, once per streak."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.daily.lag.services import lag_alerts_check
from salesops.jobs.registry import register


@register(
    "lag_alerts",
    at=dt.time(20, 0),
    description=_("Alerts the lead when a rep is under the daily visit target several working days in a row (R19)."),
)
def lag_alerts(day: dt.date) -> dict[str, int]:
    return lag_alerts_check(day=day)
