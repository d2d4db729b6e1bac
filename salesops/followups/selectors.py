"""Reads for follow-ups and the cadence (R10, R11): due lists, overdue lists, compliance per rep.

Every figure is one grouped SQL query; nothing loops over customers or follow-ups in Python. The counts
are of indexed columns (``COUNT(*)``, ``COUNT(late)``), which PostgreSQL answers from the covering indexes
alone; counting the id would read every table row, as the id is not in those indexes.

- Cadence compliance of a rep (R10) = share of their active, graded customers that are not overdue
  today (``next_due_at`` today or later). No graded customers → None ("no figure"), never 0 % or 100 %.
- Late-logging share (R11) = the rep's active follow-ups of the period marked ``late`` / all of them.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from salesops.accounts.models import Role, Team, User
from salesops.core.clock import day_start
from salesops.customers.hooks import TimelineEntry
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp


@dataclass(frozen=True)
class RepFigures:
    """One rep's R10/R11 figures: customers on cadence today, follow-ups logged (late) in the period."""

    user: User
    customers: int
    overdue: int
    followups: int
    late: int

    @property
    def compliance(self) -> float | None:
        return None if self.customers == 0 else (self.customers - self.overdue) / self.customers

    @property
    def late_share(self) -> float | None:
        return None if self.followups == 0 else self.late / self.followups



def cadence_counts(*, user_ids: Iterable[int], today: dt.date) -> dict[int, tuple[int, int]]:
    """owner id → (active graded customers, of them overdue today) in one grouped query."""
    rows = (
        Customer.objects.filter(owner_id__in=list(user_ids), is_active=True, grade__isnull=False)
        .order_by()
        .values("owner_id")
        .annotate(total=Count("*"), overdue=Count("next_due_at", filter=Q(next_due_at__lt=today)))
    )
    return {row["owner_id"]: (row["total"], row["overdue"]) for row in rows}


def late_counts(*, user_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """author id → (active follow-ups with contact time from ``start`` to ``end`` included, of them late)."""
    rows = (
        FollowUp.objects.filter(
            author_id__in=list(user_ids),
            is_active=True,
            contacted_at__gte=day_start(start),
            contacted_at__lt=day_start(end + dt.timedelta(days=1)),
        )
        .order_by()
        .values("author_id")
        .annotate(total=Count("*"), late=Count("late", filter=Q(late=True)))
    )
    return {row["author_id"]: (row["total"], row["late"]) for row in rows}


def rep_figures(*, users: Iterable[User], today: dt.date, start: dt.date, end: dt.date) -> list[RepFigures]:
    """R10 compliance and R11 late share for each of ``users``, in their order (two queries in all)."""
    people = list(users)
    ids = [user.pk for user in people]
    cadence = cadence_counts(user_ids=ids, today=today)
    late = late_counts(user_ids=ids, start=start, end=end)
    return [
        RepFigures(
            user=user,
            customers=cadence.get(user.pk, (0, 0))[0],
            overdue=cadence.get(user.pk, (0, 0))[1],
            followups=late.get(user.pk, (0, 0))[0],
            late=late.get(user.pk, (0, 0))[1],
        )
        for user in people
    ]


def total_figures(figures: list[RepFigures]) -> dict[str, Any]:
    """The team's (or organisation's) figure: sums over its people, the same ratios."""
    customers = sum(f.customers for f in figures)
    overdue = sum(f.overdue for f in figures)
    followups = sum(f.followups for f in figures)
    late = sum(f.late for f in figures)
    return {
        "customers": customers,
        "overdue": overdue,
        "compliance": None if customers == 0 else (customers - overdue) / customers,
        "followups": followups,
        "late": late,
        "late_share": None if followups == 0 else late / followups,
    }


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
class TeamFigures:
    """One team's R10/R11 figures, computed at the team level: its people's active graded customers and
    those overdue today, the follow-ups its people logged in the period (and late), and how many of its
    people have logged nothing today."""

    team: Team
    people: int
    silent: int
    customers: int
    overdue: int
    followups: int
    late: int

    @property
    def compliance(self) -> float | None:
        return None if self.customers == 0 else (self.customers - self.overdue) / self.customers

    @property
    def late_share(self) -> float | None:
        return None if self.followups == 0 else self.late / self.followups


def team_figures(*, teams: Iterable[Team], today: dt.date, start: dt.date, end: dt.date) -> list[TeamFigures]:
    """Each team's figures in its order, three grouped queries in all (never sums of per-person rows).
    Customers count for their owner's team; follow-ups for their author's team."""
    chosen = list(teams)
    ids = [team.pk for team in chosen]
    owners = Q(is_active=True, role__in=[Role.REP, Role.LEAD], team_id__in=ids)
    people = {
        row["team_id"]: row
        for row in User.objects.filter(owners).order_by().values("team_id").annotate(
            people=Count("*"), silent=Count("pk", filter=~Q(_logged_on(today)))
        )
    }
    cadence = {
        row["owner__team_id"]: row
        for row in Customer.objects.filter(owner__team_id__in=ids, is_active=True, grade__isnull=False)
        .order_by().values("owner__team_id")
        .annotate(total=Count("*"), overdue=Count("next_due_at", filter=Q(next_due_at__lt=today)))
    }
    logged = {
        row["author__team_id"]: row
        for row in FollowUp.objects.filter(
            author__team_id__in=ids, is_active=True,
            contacted_at__gte=day_start(start), contacted_at__lt=day_start(end + dt.timedelta(days=1)),
        ).order_by().values("author__team_id").annotate(total=Count("*"), late=Count("late", filter=Q(late=True)))
    }
    empty = {"people": 0, "silent": 0, "total": 0, "overdue": 0, "late": 0}
    return [
        TeamFigures(
            team=team,
            people=people.get(team.pk, empty)["people"],
            silent=people.get(team.pk, empty)["silent"],
            customers=cadence.get(team.pk, empty)["total"],
            overdue=cadence.get(team.pk, empty)["overdue"],
            followups=logged.get(team.pk, empty)["total"],
            late=logged.get(team.pk, empty)["late"],
        )
        for team in chosen
    ]


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


def team_members(*, team: Team) -> QuerySet[User]:
    """The active reps and the lead of one team, for its compliance figures."""
    return (
        User.objects.filter(team=team, is_active=True, role__in=[Role.REP, Role.LEAD])
        .select_related("team")
        .order_by("display_name", "id")
    )


def org_members() -> QuerySet[User]:
    """Everyone who owns customers in the organisation (reps and leads with a team), for admins."""
    return (
        User.objects.filter(is_active=True, role__in=[Role.REP, Role.LEAD], team__isnull=False)
        .select_related("team")
        .order_by("team__name", "display_name", "id")
    )


def customer_timeline_entries(customer: Customer, user: User, limit: int) -> list[TimelineEntry]:
    """The customer's latest follow-ups the user may see (R1), for the customer page's timeline."""
    followups = (
        FollowUp.objects.visible_to(user)
        .filter(customer=customer, is_active=True)
        .select_related("author")
        .order_by("-contacted_at", "-id")[:limit]
    )
    return [TimelineEntry(at=f.contacted_at, template=TIMELINE_TEMPLATE, item=f) for f in followups]


TIMELINE_TEMPLATE = "followups/_timeline_entry.html"


def period_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of an API.md period: ``2026-11-26``, ``2026-W48``, ``2026-11``, ``2026-Q4``;
    None when ``text`` is none of them."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return day, day
        year_text, _sep, rest = text.partition("-")
        year = int(year_text)
        if len(year_text) != 4 or not rest:
            return None
        if rest[0] == "W" and rest[1:].isdigit():
            start = dt.date.fromisocalendar(year, int(rest[1:]), 1)
            return start, start + dt.timedelta(days=6)
        if rest[0] == "Q" and rest[1:] in ("1", "2", "3", "4"):
            first_month = (int(rest[1:]) - 1) * 3 + 1
            start = dt.date(year, first_month, 1)
            return start, _month_end(year, first_month + 2)
        if rest.isdigit() and len(rest) == 2:
            return dt.date(year, int(rest), 1), _month_end(year, int(rest))
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, monthrange(year, month)[1])
