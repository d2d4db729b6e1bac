"""The overdue alert (``instalment_overdue``): an instalment past its due date and not received in full is
flagged to the deal's owner and to the owner's lead, once (``Instalment.overdue_flagged_on``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesops.accounts.models import User
from salesops.core.money import yuan_text
from salesops.deals.models import Instalment
from salesops.notifications.services import notify

#: Instalments named with a link in one overdue message; the rest are counted and one click away.
OVERDUE_LINKS = 20


def _overdue_message(person: User, rows: list[Instalment]) -> None:
    """One message to ``person`` in their language listing their overdue instalments."""
    total = sum((row.amount - row.received for row in rows), Decimal("0.00"))
    with translation.override(person.language):
        title = ngettext(
            "%(count)d instalment overdue, %(amount)s outstanding",
            "%(count)d instalments overdue, %(amount)s outstanding",
            len(rows),
        ) % {"count": len(rows), "amount": yuan_text(total)}
        body = _("These instalments passed their due date without being received in full.")
    links = [
        (f"{row.contract.number} {row.contract.customer.name} {row.due_date.isoformat()} "
         f"{yuan_text(row.amount - row.received)}", reverse("contract-collections", args=[row.contract_id]))
        for row in rows[:OVERDUE_LINKS]
    ]
    oldest = min(row.due_date for row in rows)
    url = f"{reverse('collections')}?period={oldest:%Y-%m}&overdue=true"  # the ledger of the oldest one's month
    notify(user=person, kind="instalment_overdue", title=title, body=body, url=url, links=links)


@transaction.atomic
def instalments_flag_overdue(*, day: dt.date) -> dict[str, int]:
    """Flag the instalments due before ``day`` and not received in full that were never flagged: one
    message to each owner and to each owner's lead listing theirs (alert ``instalment_overdue``).
    Idempotent: a flagged instalment is not flagged again (a new due date clears the flag)."""
    rows = list(
        Instalment.objects.filter(
            is_active=True, due_date__lt=day, overdue_flagged_on__isnull=True, received__lt=F("amount")
        )
        .select_related("contract__customer", "owner__team__lead")
        .order_by("owner_id", "due_date", "pk")
    )
    told: dict[int, tuple[User, list[Instalment]]] = {}
    for row in rows:
        owner = row.owner
        lead = owner.team.lead if owner.team is not None else None
        for person in (owner, lead) if lead is not None and lead.pk != owner.pk else (owner,):
            if person is not None and person.is_active:
                told.setdefault(person.pk, (person, []))[1].append(row)
    for person, theirs in told.values():
        _overdue_message(person, theirs)
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), 1000):
        Instalment.objects.filter(pk__in=ids[start:start + 1000]).update(overdue_flagged_on=day)
    return {"flagged": len(ids), "told": len(told)}
