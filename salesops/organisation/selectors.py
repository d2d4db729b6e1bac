"""Reads of the organisation: the rule settings accessor, the working calendar and the settings' history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from salesops.accounts.models import Role, Team, User
from salesops.core.history import Change, history_changes
from salesops.organisation.models import CalendarDay, Organisation, RuleSettings
from salesops.organisation.workcal import WorkCalendar


def rule_settings() -> RuleSettings:
    """The one accessor for every number in DOMAIN.md (R2-R23); defaults are the manual's values.

    A pure read: the row comes from a migration, and a database without it reads the defaults."""
    return RuleSettings.objects.filter(pk=1).first() or RuleSettings(pk=1)


def work_calendar() -> WorkCalendar:
    """The working calendar (R2) with the company's own days and their notes loaded in one query."""
    rows = CalendarDay.objects.filter(is_active=True).values_list("date", "kind", "note")
    company_days: dict[dt.date, bool] = {}
    notes: dict[dt.date, str] = {}
    for day, kind, note in rows:
        company_days[day] = kind == CalendarDay.Kind.WORKDAY
        notes[day] = note
    return WorkCalendar(company_days, notes)


def company_days(*, year: int | None = None) -> QuerySet[CalendarDay]:
    """The company's active own days (R2), oldest first; one year's when ``year`` is given."""
    days = CalendarDay.objects.filter(is_active=True).order_by("date")
    if year is not None:
        days = days.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    return days


def rule_setting_changes(*, limit: int = 20) -> list[Change]:
    """The latest changes to the rule settings from simple-history, newest first, field by field."""
    history = RuleSettings.history.select_related("history_user").order_by("-history_date", "-history_id")
    return history_changes(list(history[: limit + 1]), model=RuleSettings, excluded={"updated_at"})[:limit]


def organisation() -> Organisation:
    return Organisation.load()


def setup_needed() -> bool:
    return Organisation.objects.filter(pk=1, setup_completed_at__isnull=False).exists() is False


@dataclass(frozen=True)
class SetupState:
    """How far the organisation is set up (R1): what an admin still has to do after the first-run set-up."""

    completed_at: dt.datetime | None
    teams: int
    teams_without_lead: list[str]
    teams_without_reps: list[str]
    people: int
    sellers_without_team: int

    @property
    def complete(self) -> bool:
        return (
            self.completed_at is not None and self.teams > 0 and not self.teams_without_lead
            and not self.teams_without_reps and self.sellers_without_team == 0
        )


def setup_state() -> SetupState:
    """The set-up's state in three queries: the organisation, its active teams, its active people."""
    teams = list(
        Team.objects.filter(is_active=True).order_by("name").annotate(
            reps=Count("members", filter=Q(members__role=Role.REP, members__is_active=True))
        ).values("name", "lead_id", "reps")
    )
    people = User.objects.filter(is_active=True).aggregate(
        total=Count("*"), without_team=Count("pk", filter=Q(team__isnull=True, role__in=[Role.REP, Role.LEAD]))
    )
    return SetupState(
        completed_at=organisation().setup_completed_at,
        teams=len(teams),
        teams_without_lead=[team["name"] for team in teams if team["lead_id"] is None],
        teams_without_reps=[team["name"] for team in teams if not team["reps"]],
        people=people["total"],
        sellers_without_team=people["without_team"],
    )
