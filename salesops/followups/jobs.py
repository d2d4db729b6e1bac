"""The ``cadence`` job (R10): every active customer's next due date, recomputed for the new day.

``next_due_at`` follows the rule settings and the working calendar, which an admin may change at any
time; the nightly run brings every customer in line with them. It is idempotent per date: running it
twice changes nothing the second time (``cadence_refresh`` writes only rows whose dates moved).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from salesops.customers.models import Customer
from salesops.followups.cadence import BATCH_SIZE, cadence_refresh
from salesops.jobs.registry import register


@register(
    "cadence",
    at=dt.time(3, 30),
    workdays_only=False,
    description=_("Recomputes every active customer's next follow-up date from its grade and the rule settings."),
)
def cadence(day: dt.date) -> dict[str, int]:
    """Walk the active customers by id in batches (keyset, so memory stays flat at any size)."""
    seen = changed = 0
    last_id = 0
    while True:
        ids = list(
            Customer.objects.filter(is_active=True, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            break
        changed += cadence_refresh(customer_ids=ids)
        seen += len(ids)
        last_id = ids[-1]
    return {"customers": seen, "changed": changed}
