"""Reads for follow-ups and the cadence (R10, R11): due lists and counts, a day's records, late records,
who logged nothing, the team's overdue customers, a customer's timeline. Figures (compliance, late share)
are the performance app's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from salesops.accounts.models import Role, User
from salesops.core.clock import day_start
from salesops.customers.hooks import TimelineEntry
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp, VisitPhoto


def due_today(*, user: User, today: dt.date) -> QuerySet[Customer]:
    """The user's own customers due today or overdue (R10), the longest overdue first."""
    return due_between(user=user, today=today, start=None, end=today)


def due_between(
    *, user: User, today: dt.date, start: dt.date | None, end: dt.date | None, grade: str = ""
) -> QuerySet[Customer]:
    """The user's own active customers due from ``start`` to ``end`` (either open), of ``grade`` if given,
    the longest overdue first (R10)."""
    customers = Customer.objects.filter(owner=user, is_active=True, next_due_at__isnull=False)
    if start is not None:
        customers = customers.filter(next_due_at__gte=start)
    if end is not None:
        customers = customers.filter(next_due_at__lte=end)
    if grade:
        customers = customers.filter(grade=grade)
    return customers.select_related("owner").order_by("next_due_at", "grade", "id").with_cadence_status(today)


@dataclass(frozen=True)
class DueCounts:
    """A person's own customers by due date (R10): overdue, due today, due from today to ``week_end``."""

    overdue: int
    today: int
    week: int


def due_counts(*, user: User, today: dt.date, week_end: dt.date) -> DueCounts:
    """The three counts in one query over the owner-and-due-date index."""
    row = (
        Customer.objects.filter(owner=user, is_active=True, next_due_at__lte=week_end)
        .order_by()
        .aggregate(
            overdue=Count("next_due_at", filter=Q(next_due_at__lt=today)),
            today=Count("next_due_at", filter=Q(next_due_at=today)),
            week=Count("next_due_at", filter=Q(next_due_at__gte=today)),
        )
    )
    return DueCounts(overdue=row["overdue"], today=row["today"], week=row["week"])


def followups_of_day(*, user: User, day: dt.date) -> QuerySet[FollowUp]:
    """The records ``user`` wrote of contacts on ``day`` (R11), the latest first."""
    return (
        FollowUp.objects.filter(
            author=user, is_active=True,
            contacted_at__gte=day_start(day), contacted_at__lt=day_start(day + dt.timedelta(days=1)),
        )
        .select_related("customer")
        .order_by("-contacted_at", "-id")
    )


def last_followup(*, customer: Customer, user: User) -> FollowUp | None:
    """The customer's latest record ``user`` may see (R1): its next step heads the follow-up form."""
    return (
        FollowUp.objects.visible_to(user)
        .filter(customer=customer, is_active=True)
        .select_related("author")
        .order_by("-contacted_at", "-id")
        .first()
    )


def late_followups(*, user: User, start: dt.date, end: dt.date, limit: int) -> list[FollowUp]:
    """The latest records logged late (R11) with contact time from ``start`` to ``end``, in ``user``'s
    scope (R1): the lead sees whose logging slips."""
    return list(
        FollowUp.objects.visible_to(user)
        .filter(
            is_active=True, late=True,
            contacted_at__gte=day_start(start), contacted_at__lt=day_start(end + dt.timedelta(days=1)),
        )
        .select_related("author", "customer")
        .order_by("-contacted_at", "-id")[:limit]
    )


def _logged_on(day: dt.date) -> Exists:
    return Exists(
        FollowUp.objects.filter(
            author=OuterRef("pk"), is_active=True,
            contacted_at__gte=day_start(day), contacted_at__lt=day_start(day + dt.timedelta(days=1)),
        )
    )


def silent_people(*, users: QuerySet[User], day: dt.date) -> QuerySet[User]:
    """Those of ``users`` who have logged no follow-up of a contact on ``day`` (R11)."""
    return users.filter(~_logged_on(day))


@dataclass(frozen=True)
class TeamPeople:
    """How many people of a team own customers and log follow-ups, and how many logged nothing on a day."""

    people: int
    silent: int


def team_people(*, team_ids: Iterable[int], day: dt.date) -> dict[int, TeamPeople]:
    """team id → its active reps and lead, and those with no follow-up of a contact on ``day`` (R11); one
    grouped query. Teams without anyone are left out."""
    rows = (
        User.objects.filter(is_active=True, role__in=[Role.REP, Role.LEAD], team_id__in=list(team_ids))
        .order_by().values("team_id")
        .annotate(people=Count("*"), silent=Count("pk", filter=~Q(_logged_on(day))))
    )
    return {row["team_id"]: TeamPeople(people=row["people"], silent=row["silent"]) for row in rows}


def team_overdue(*, user: User, today: dt.date, owner_ids: list[int], per_owner: int) -> QuerySet[Customer]:
    """The ``per_owner`` longest-overdue customers (R10) of each of ``owner_ids`` in ``user``'s scope (R1).

    One query: a row number per owner picks the top ids in the database from the owner-and-due-date index
    alone (the ranking reads no table row), then only those rows are read; the page links to the full list."""
    top = (
        Customer.objects.visible_to(user, pool=False)
        .filter(owner_id__in=owner_ids, is_active=True, next_due_at__lt=today)
        .annotate(rank=Window(RowNumber(), partition_by=[F("owner_id")], order_by=[F("next_due_at"), F("id")]))
        .filter(rank__lte=per_owner)
        .values("pk")
    )
    customers = Customer.objects.filter(pk__in=top).select_related("owner").order_by("owner_id", "next_due_at", "id")
    return customers.with_cadence_status(today)


def team_reps(*, user: User) -> QuerySet[User]:
    """The reps (and leads, who also own customers) in the teams ``user`` leads or directs (R1)."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, role__in=[Role.REP, Role.LEAD], team__isnull=False)
        .select_related("team")
        .order_by("team__name", "display_name", "id")
    )


def customer_timeline_entries(customer: Customer, user: User, limit: int) -> list[TimelineEntry]:
    """The customer's latest follow-ups the user may see (R1), with their visit photos (which follow their
    record), for the customer page's timeline."""
    followups = (
        FollowUp.objects.visible_to(user)
        .filter(customer=customer, is_active=True)
        .select_related("author")
        .prefetch_related(Prefetch("photos", queryset=VisitPhoto.objects.order_by("pk")))
        .order_by("-contacted_at", "-id")[:limit]
    )
    return [TimelineEntry(at=f.contacted_at, template=TIMELINE_TEMPLATE, item=f) for f in followups]


TIMELINE_TEMPLATE = "followups/_timeline_entry.html"
