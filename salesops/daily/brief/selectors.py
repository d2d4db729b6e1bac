"""Reads of the morning brief (R3): which team a person may read it for (R1), which day is asked for, and
the brief itself: the stored one when the job or the lead generated it, else worked out now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.clock import local_today
from salesops.core.errors import Invalid, NotFound
from salesops.core.scope import scope_of
from salesops.daily.brief.content import Json, briefs_content
from salesops.daily.brief.models import Brief
from salesops.organisation.selectors import work_calendar


def readable_team(*, user: User, team_id: Any) -> Team:
    """The active team ``team_id`` if ``user`` may read its brief (R1: their own team, the teams they lead
    or direct, every team for an admin); ``NotFound`` for any other or malformed id."""
    text = str(team_id or "")
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
        raise NotFound(_("No such team."))
    team = Team.objects.visible_to(user).filter(pk=int(text), is_active=True).first()
    if team is None:
        raise NotFound(_("No such team."))
    return team


def readable_teams(*, user: User) -> list[Team]:
    """The teams whose brief ``user`` may read, by name."""
    return list(Team.objects.visible_to(user).filter(is_active=True).order_by("name", "pk"))


def default_team(*, user: User) -> Team | None:
    """The team a brief page opens on: one's own, else the first one led or directed."""
    scope = scope_of(user)
    teams = readable_teams(user=user)
    return next((team for team in teams if team.pk == scope.own_team_id), teams[0] if teams else None)


def latest_brief_day(today: dt.date | None = None) -> dt.date:
    """Today when it is a working day, else the last working day before it (R2)."""
    today = today or local_today()
    calendar = work_calendar()
    return today if calendar.is_workday(today) else calendar.previous_workday(today)


def brief_day(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The working day of ``?date=`` (by default today, or the last working day on a day off);
    ``Invalid`` under ``date`` for a malformed date, a day to come or a day off (R2: a brief is made for
    working days only)."""
    today = today or local_today()
    if not text:
        return latest_brief_day(today)
    try:
        day: dt.date | None = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid(fields={"date": _("Give the date as YYYY-MM-DD, e.g. 2026-11-26.")})
    if day > today:
        raise Invalid(fields={"date": _("The brief of a day to come is not ready yet.")})
    if not work_calendar().is_workday(day):
        raise Invalid(fields={"date": _("%(day)s is not a working day: there is no morning brief.")
                              % {"day": day.isoformat()}})
    return day


def manages_team(*, user: User, team: Team) -> bool:
    """Whether ``user`` runs ``team``'s meeting: its lead, its director, an admin (R1)."""
    scope = scope_of(user)
    return scope.everything or team.pk in scope.team_ids


def _seen(owner: int | None, reader: int) -> bool:
    """A customer of the brief a rep sees (R1): their own, or one in the public pool."""
    return owner is None or owner == reader


def for_reader(content: Json, *, user: User, team: Team) -> Json:
    """The brief as ``user`` may read it (R1). Whoever manages the team reads all of it; a rep of the team
    reads the team's figures, praise and problems, but of the rows that belong to people, only their own:
    their A customers, tasks, lag streak and the reasons they gave, and a customer or deal named in a
    problem or a success case only when they see it."""
    if manages_team(user=user, team=team):
        return content
    me = user.pk

    def named(row: Json) -> Json:
        row = dict(row)
        if not _seen(row.get("customer_owner"), me):
            row["customer_name"] = ""
        if "deal_owner" in row and not _seen(row["deal_owner"], me):
            row["deal_title"] = ""
        return row

    return {
        **content,
        "missed": [entry if entry["user"] == me else {**entry, "reasons": []} for entry in content["missed"]],
        "key_customers": [row for row in content["key_customers"] if row["owner"] == me],
        "problems": [named(row) for row in content["problems"]],
        "success_cases": [named(row) for row in content["success_cases"]],
        "tasks": {group: [row for row in rows if row["assignee"] == me] for group, rows in content["tasks"].items()},
        "lag_alerts": [row for row in content["lag_alerts"] if row["user"] == me],
    }


@dataclass(frozen=True)
class BriefView:
    """A brief as read: its content (the API body) and whether it is the stored one."""

    team: Team
    day: dt.date
    content: Json
    stored: bool


def brief_of(*, team: Team, day: dt.date, reader: User) -> BriefView:
    """The brief of ``team`` for ``day`` as ``reader`` may read it (``for_reader``): the stored one, else
    worked out now (not stored: reading writes nothing; the job or the lead's "generate again" stores it)."""
    stored = Brief.objects.filter(team=team, date=day).only("content").first()
    if stored is not None:
        content, kept = stored.content, True
    else:
        content, kept = {**briefs_content(teams=[team], day=day)[team.pk], "generated_at": None}, False
    return BriefView(team=team, day=day, content=for_reader(content, user=reader, team=team), stored=kept)
