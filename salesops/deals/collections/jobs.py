"""The ``instalments_overdue`` job: each instalment past its due date and not received in full is flagged
to the deal's owner and to the owner's lead, once (``Instalment.overdue_flagged_on``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.deals.collections.overdue import instalments_flag_overdue
from salesops.jobs.registry import register


@register(
    "instalments_overdue",
    at=dt.time(8, 0),
    workdays_only=False,
    description=_("Tells the owner and the lead of each instalment that became overdue, once."),
)
def instalments_overdue(day: dt.date) -> dict[str, int]:
    return instalments_flag_overdue(day=day)
