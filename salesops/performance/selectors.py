"""Whose figures a person may read (R1), the people listed beside them, and the R10/R11 figures of
people and teams as the pages show them (from the engine).

A subject (``user:<id>``, ``team:<id>``, ``org``) is readable by whoever may see its rows: oneself, the
people one manages, the teams one leads or directs, the organisation for an admin. Anything else is
"not found" (404), like an id nobody has; the organisation for a non-admin is refused (403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, Team, User
from salesops.core.errors import NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.followups import selectors as followups
from salesops.performance.engine import Figures, Subject, figures_per
from salesops.performance.metrics import Level, Value
from salesops.performance.periods import PeriodKind, current

#: The roles whose people own customers and log follow-ups, listed beside a team's figures.
MEMBER_ROLES = (Role.REP, Role.LEAD)


def members(*, team_ids: list[int] | None = None) -> QuerySet[User]:
    """The active reps and leads of ``team_ids`` (of every team when None), by team and name."""
    people = User.objects.filter(is_active=True, role__in=MEMBER_ROLES, team__isnull=False)
    if team_ids is not None:
        people = people.filter(team_id__in=team_ids)
    return people.select_related("team").order_by("team__name", "display_name", "id")


def subject_for(caller: User, text: str) -> tuple[Subject, list[User]]:
    """The subject ``text`` names (``Subject.parse``: a ``ValidationError`` under ``scope`` when malformed)
    and the people listed with it, if ``caller`` may read it (R1); else ``NotFound`` or, for the
    organisation, ``PermissionDenied``."""
    subject = Subject.parse(text)
    scope = scope_of(caller)
    if subject.level == Level.ORG:
        if not scope.everything:
            raise PermissionDenied(_("Only an admin may see the whole organisation's figures."))
        return subject, list(members())
    (target_id,) = subject.ids
    if subject.level == Level.TEAM:
        team = Team.objects.visible_to(caller).filter(pk=target_id).first()
        if team is None or not (scope.everything or team.pk in scope.team_ids):
            raise NotFound(_("No such team."))
        return subject, list(members(team_ids=[team.pk]))
    person = User.objects.visible_to(caller).select_related("team").filter(pk=target_id).first()
    if person is None or not (person.pk == caller.pk or scope.manages(person)):
        raise NotFound(_("No such person."))
    return subject, [person]


#: The R10/R11 figures the home page and the team page show, read from the engine.
CADENCE_METRICS = ["graded_customers", "overdue_customers", "compliance", "followups", "late_followups", "late_share"]


@dataclass(frozen=True)
class CadenceFigures:
    """One subject's R10/R11 figures from the engine: graded customers and those overdue today, cadence
    compliance, the period's follow-ups, those logged late and their share."""

    customers: int
    overdue: int
    compliance: float | None
    followups: int
    late: int
    late_share: float | None

    @classmethod
    def of(cls, found: Figures) -> CadenceFigures:
        return cls(
            customers=int(found["graded_customers"] or 0), overdue=int(found["overdue_customers"] or 0),
            compliance=_rate(found["compliance"]), followups=int(found["followups"] or 0),
            late=int(found["late_followups"] or 0), late_share=_rate(found["late_share"]),
        )


def _rate(value: Value) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class PersonCadence(CadenceFigures):
    user: User = field(kw_only=True)


@dataclass(frozen=True)
class TeamCadence(CadenceFigures):
    team: Team = field(kw_only=True)
    people: int = field(kw_only=True)
    silent: int = field(kw_only=True)


def people_cadence(*, people: Iterable[User], today: dt.date) -> list[PersonCadence]:
    """Each person's figures (R10 today, R11 this month), in their order: two queries whatever the number."""
    chosen = list(people)
    month = current(PeriodKind.MONTH, today)
    found = figures_per(level=Level.PERSON, ids=[p.pk for p in chosen], period=month, metrics=CADENCE_METRICS,
                        today=today)
    return [PersonCadence(**vars(CadenceFigures.of(found[p.pk])), user=p) for p in chosen]


def teams_cadence(*, teams: Iterable[Team], today: dt.date) -> list[TeamCadence]:
    """Each team's figures computed over the team's own rows (R21), with its people and how many of them
    logged nothing today (R11); three queries whatever the number of teams."""
    chosen = list(teams)
    ids = [team.pk for team in chosen]
    month = current(PeriodKind.MONTH, today)
    found = figures_per(level=Level.TEAM, ids=ids, period=month, metrics=CADENCE_METRICS, today=today)
    people = followups.team_people(team_ids=ids, day=today)
    nobody = followups.TeamPeople(people=0, silent=0)
    return [
        TeamCadence(**vars(CadenceFigures.of(found[team.pk])), team=team,
                    people=people.get(team.pk, nobody).people, silent=people.get(team.pk, nobody).silent)
        for team in chosen
    ]
