"""The collection ledger 回款台账 (R13, R21): due, received, outstanding, overdue, collection rate and the
period's collections, per person, per team and for the organisation, every figure from the engine.

Whose ledger a person reads (R1): a rep their own; a lead their team, person by person; a director their
teams side by side (or one of them, person by person); an admin every team, with the organisation's
total. A person picked with ``person=`` must be oneself or someone one manages, a team picked with
``team=`` one of one's teams: anything else is not found. The total line is the figure of the level
itself (the team's, the teams' together, the organisation's) computed by the engine over that level's
rows, never added up from the lines; for sums it equals the sum of the lines as long as every
instalment's team is one listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesops.accounts.models import Team, User
from salesops.core.errors import NotFound
from salesops.core.scope import scope_of
from salesops.performance.engine import Figures, Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period
from salesops.performance.selectors import members

METRICS = ["amount_due", "due_received", "outstanding", "overdue_amount", "collection_rate", "collections"]


@dataclass(frozen=True)
class Line:
    """One line of the ledger: a person or a team (``query`` picks it), or the total (no query)."""

    label: str
    note: str
    query: str
    due: Decimal
    received: Decimal
    outstanding: Decimal
    overdue: Decimal
    rate: float | None
    collections: Decimal

    @classmethod
    def of(cls, found: Figures, *, label: str, note: str = "", query: str = "") -> Line:
        def amount(name: str) -> Decimal:
            value = found[name]
            return value if isinstance(value, Decimal) else Decimal("0.00")

        rate = found["collection_rate"]
        return cls(
            label=label, note=note, query=query, due=amount("amount_due"), received=amount("due_received"),
            outstanding=amount("outstanding"), overdue=amount("overdue_amount"),
            rate=rate if isinstance(rate, float) else None, collections=amount("collections"),
        )


@dataclass(frozen=True)
class Ledger:
    """The ledger of one subject for one period: its lines and its total. ``owner_ids``/``team_ids``
    select the instalments listed below it (None: not restricted on that column)."""

    period: Period
    title: str
    lines: list[Line]
    total: Line
    person: User | None
    team: Team | None
    teams: list[Team]
    owner_ids: list[int] | None
    team_ids: list[int] | None


def _id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**63 else None


def _person_ledger(user: User, person: User, period: Period, today: dt.date, teams: list[Team]) -> Ledger:
    found = figures(subject=Subject.person(person.pk), period=period, metrics=METRICS, today=today)
    line = Line.of(found, label=person.display_name, note=person.team.name if person.team else "",
                   query=f"person={person.pk}")
    return Ledger(period=period, title=person.display_name, lines=[line], total=line, person=person, team=None,
                  teams=teams, owner_ids=[person.pk], team_ids=None)


def _team_ledger(team: Team, period: Period, today: dt.date, teams: list[Team]) -> Ledger:
    people = list(members(team_ids=[team.pk]))
    each = figures_per(level=Level.PERSON, ids=[p.pk for p in people], period=period, metrics=METRICS, today=today)
    lines = [Line.of(each[p.pk], label=p.display_name, note=team.name, query=f"person={p.pk}") for p in people]
    total = figures(subject=Subject.team(team.pk), period=period, metrics=METRICS, today=today)
    return Ledger(period=period, title=team.name, lines=lines, total=Line.of(total, label=_("Team total")),
                  person=None, team=team, teams=teams, owner_ids=None, team_ids=[team.pk])


def _teams_ledger(everything: bool, period: Period, today: dt.date, teams: list[Team]) -> Ledger:
    ids = [team.pk for team in teams]
    each = figures_per(level=Level.TEAM, ids=ids, period=period, metrics=METRICS, today=today)
    lines = [Line.of(each[t.pk], label=t.name, query=f"team={t.pk}") for t in teams]
    subject = Subject.org() if everything else Subject.teams(ids)
    total = figures(subject=subject, period=period, metrics=METRICS, today=today)
    label = _("Organisation") if everything else _("All my teams")
    return Ledger(period=period, title=label, lines=lines, total=Line.of(total, label=label), person=None,
                  team=None, teams=teams, owner_ids=None, team_ids=None if everything else ids)


def collection_ledger(*, user: User, period: Period, today: dt.date, team: str = "", person: str = "") -> Ledger:
    """The ledger ``user`` may read for ``period`` (see the module docstring); ``team``/``person`` are the
    query's words (ids), ``NotFound`` when they name something outside the caller's reach."""
    scope = scope_of(user)
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    if not scope.everything:
        teams = [t for t in teams if t.pk in scope.team_ids]
    if person:
        person_id = _id(person)
        chosen = User.objects.visible_to(user).select_related("team").filter(pk=person_id).first()
        if chosen is None or not (chosen.pk == user.pk or scope.manages(chosen)):
            raise NotFound(_("No such person."))
        return _person_ledger(user, chosen, period, today, teams)
    if team:
        picked = next((t for t in teams if t.pk == _id(team)), None)
        if picked is None:
            raise NotFound(_("No such team."))
        return _team_ledger(picked, period, today, teams)
    if not teams:
        return _person_ledger(user, user, period, today, teams)
    if len(teams) == 1 and not scope.everything:
        return _team_ledger(teams[0], period, today, teams)
    return _teams_ledger(scope.everything, period, today, teams)


def chart(ledger: Ledger) -> dict[str, Any]:
    """ECharts option: due and received of it per line (bars, yuan), the collection rate (line, %)."""
    labels = [line.label for line in ledger.lines]
    return {
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 30 if len(labels) > 6
                                                                     else 0}},
        "yAxis": [{"type": "value", "name": "¥"},
                  {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}}],
        "series": [
            {"name": pgettext("collections", "Due"), "type": "bar", "data": [str(line.due) for line in ledger.lines]},
            {"name": _("Received of it"), "type": "bar", "data": [str(line.received) for line in ledger.lines]},
            {"name": _("Collection rate"), "type": "line", "yAxisIndex": 1,
             "data": [None if line.rate is None else round(line.rate * 100, 1) for line in ledger.lines]},
        ],
    }
