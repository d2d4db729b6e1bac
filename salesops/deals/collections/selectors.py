"""Reads of collections 回款: instalments with their status, receipts, a contract's plan (R1 scoped).

An instalment's status is computed in SQL on the day it is read (API.md ``status``): ``received`` when
received in full, else ``overdue`` once its due date has passed, else ``partial`` with some money in, else
``due``. Lists filter and sort on it without reading rows into Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from salesops.core.clock import local_today
from salesops.deals.models import Contract, Instalment, InstalmentStatus, Payment


def overdue_q(today: dt.date) -> Q:
    """Past its due date and not received in full."""
    return Q(due_date__lt=today, received__lt=F("amount"))


def status_expression(today: dt.date) -> Case:
    return Case(
        When(received__gte=F("amount"), then=Value(InstalmentStatus.RECEIVED.value)),
        When(due_date__lt=today, then=Value(InstalmentStatus.OVERDUE.value)),
        When(received__gt=0, then=Value(InstalmentStatus.PARTIAL.value)),
        default=Value(InstalmentStatus.DUE.value),
        output_field=CharField(),
    )


def instalments(*, user: Any, today: dt.date | None = None) -> QuerySet[Instalment]:
    """The active instalments ``user`` sees (R1), with ``status``, their contract, customer and owner."""
    return (
        Instalment.objects.visible_to(user)
        .filter(is_active=True)
        .annotate(status=status_expression(today or local_today()))
        .select_related("contract__customer", "owner")
        .order_by("due_date", "position", "id")
    )


def payments(*, user: Any) -> QuerySet[Payment]:
    """The active receipts ``user`` sees (R1), newest first, with their instalment's contract and customer."""
    return (
        Payment.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("instalment__contract__customer", "owner", "recorded_by")
        .order_by("-received_at", "-id")
    )


def contract_for(*, user: Any, contract_id: int) -> Contract | None:
    """The contract ``user`` sees (R1), with its deal, customer and owner; None outside the scope."""
    return (
        Contract.objects.visible_to(user).select_related("deal__owner__team", "customer")
        .filter(pk=contract_id).first()
    )


def plan_of(*, contract: Contract, today: dt.date | None = None) -> list[Instalment]:
    """The contract's active instalments in plan order, with ``status`` and its words (``status_label``)."""
    rows = list(
        Instalment.objects.filter(contract=contract, is_active=True)
        .annotate(status=status_expression(today or local_today()))
        .order_by("position", "due_date", "id")
    )
    labels = dict(InstalmentStatus.choices)
    for row in rows:
        row.status_label = labels[row.status]  # type: ignore[attr-defined]
    return rows
