"""Reads of deals and contracts (R1: only through ``visible_to``): the lists, a deal's detail with its
lines, contract and post-win tasks, the readable history, and the pipeline board's columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from salesops.accounts.models import User
from salesops.core.clock import day_start
from salesops.core.history import EMPTY, Change, history_changes
from salesops.core.money import money
from salesops.deals.models import Contract, Deal, DealLine, DealStatus, LossReason, Stage, StageProbability
from salesops.tasks.models import Task

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
#: amount × probability (in %), summed in SQL and divided by 100 as a Decimal afterwards: a division in SQL
#: would be an integer division on SQLite where an amount is stored as a whole number.
WEIGHTED_CENTS = ExpressionWrapper(F("amount") * F("probability"), output_field=DecimalField(
    max_digits=20, decimal_places=2))
#: How many cards a board column shows; its count and totals are of all its deals.
BOARD_CARDS = 25


def deal_list(*, user: User) -> QuerySet[Deal]:
    """The deals ``user`` sees (R1), newest change first, with what a list row shows."""
    return Deal.objects.visible_to(user).filter(is_active=True).select_related("customer", "owner")


def deal_detail(*, user: User) -> QuerySet[Deal]:
    """Deals ``user`` sees with their active lines, contract and post-win tasks read alongside."""
    return deal_list(user=user).select_related("contract", "lost_reason", "won_by").prefetch_related(
        Prefetch("lines", queryset=DealLine.objects.filter(is_active=True), to_attr="active_lines"),
        Prefetch("tasks", queryset=Task.objects.filter(is_active=True).select_related("assignee").order_by(
            "deadline", "id"), to_attr="active_tasks"),
    )


def deals_of_day(*, user: User, day: dt.date) -> QuerySet[Deal]:
    """R17: the deals ``user`` won on ``day``, and their own deals moved on ``day`` (a stage, an edit, a loss):
    the daily summary's done items."""
    start, end = day_start(day), day_start(day + dt.timedelta(days=1))
    won = Q(status=DealStatus.WON, signed_at=day, won_by=user)
    moved = Q(owner=user, updated_at__gte=start, updated_at__lt=end) & ~Q(status=DealStatus.WON)
    return (
        Deal.objects.filter(won | moved, is_active=True)
        .select_related("customer").only("id", "title", "stage", "status", "amount", "customer__name").order_by("id")
    )


def contract_list(*, user: User) -> QuerySet[Contract]:
    """The contracts ``user`` sees (R1: where their deal's owner is seen)."""
    return Contract.objects.visible_to(user).select_related("customer", "deal__owner")


def loss_reasons() -> QuerySet[LossReason]:
    return LossReason.objects.filter(is_active=True)


def stage_probabilities() -> dict[str, int]:
    """Each stage's default probability as the admin set it."""
    found = dict(StageProbability.objects.values_list("stage", "probability"))
    return {stage: found.get(stage, 0) for stage in Stage.values}


def deal_changes(*, deal: Deal, limit: int = 100) -> list[Change]:
    """The deal's changes, newest first (a loss's or reopen's reason with the status change)."""
    records = list(deal.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    people = {u.pk: str(u) for u in User.objects.filter(pk__in={r.owner_id for r in records})}
    reasons = dict(LossReason.objects.values_list("pk", "name"))
    return history_changes(
        records, model=Deal, excluded={"updated_at", "created_at", "created_by", "is_active"},
        reason_fields={"status"},
        display={
            "owner": lambda pk: people.get(pk, f"#{pk}") if pk else EMPTY,
            "customer": lambda pk: f"#{pk}",
            "lost_reason": lambda pk: reasons.get(pk, EMPTY) if pk else EMPTY,
        },
        created=lambda record: record.title,
    )[:limit]


@dataclass
class Column:
    """One stage of the board: its count, total and weighted total over all its deals, and its first cards."""

    stage: str
    label: str
    count: int = 0
    total: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    deals: list[Deal] = field(default_factory=list)


@dataclass
class Board:
    columns: list[Column]

    @property
    def count(self) -> int:
        return sum(column.count for column in self.columns)

    @property
    def total(self) -> Decimal:
        return sum((column.total for column in self.columns), Decimal("0.00"))

    @property
    def weighted(self) -> Decimal:
        return sum((column.weighted for column in self.columns), Decimal("0.00"))


def board(*, rows: QuerySet[Deal], cards: int = BOARD_CARDS) -> Board:
    """The open deals of ``rows`` (already scoped and filtered) by stage: the figures of each column in one
    aggregate query, then each column's first cards (the soonest expected close first)."""
    open_rows = rows.filter(status=DealStatus.OPEN)
    figures = {
        row["stage"]: row for row in open_rows.order_by().values("stage").annotate(
            count=Count("*"), total=Coalesce(Sum("amount"), ZERO), weighted=Coalesce(Sum(WEIGHTED_CENTS), ZERO),
        )
    }
    columns = []
    for stage, label in Stage.choices:
        found = figures.get(stage, {})
        column = Column(stage=stage, label=str(label), count=found.get("count", 0),
                        total=money(found.get("total", 0)), weighted=money(Decimal(found.get("weighted", 0)) / 100))
        if column.count:
            column.deals = list(open_rows.filter(stage=stage).order_by(
                F("expected_close").asc(nulls_last=True), "id")[:cards])
        columns.append(column)
    return Board(columns)
