"""A leaver's customers (R15): registered with ``accounts.handover`` so that deactivating a person moves
them to the receiver the admin chose, or returns them to the public pool, through the pool's services
(ownership log, history R12, the receiver told)."""

from __future__ import annotations

from django.utils.translation import ngettext

from salesops.accounts.handover import Handover, OpenWork, register_open_work
from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.customers.pool import services


def _count(person: User) -> int:
    return Customer.objects.filter(owner=person, is_active=True).count()


def _move(handover: Handover) -> int:
    if handover.to_user is None:
        return services.customers_release_all(from_user=handover.person, by=handover.by, reason=handover.reason)
    return services.customers_reassign_all(
        from_user=handover.person, to_user=handover.to_user, by=handover.by, reason=handover.reason
    )


def _describe(count: int) -> str:
    return ngettext("%(count)d customer", "%(count)d customers", count) % {"count": count}


CUSTOMERS = register_open_work(OpenWork(name="customers", count=_count, move=_move, describe=_describe))
