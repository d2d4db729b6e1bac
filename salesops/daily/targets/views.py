"""The lead's page of the day's targets (R4), for the phone and the desk: the team's target per metric and
each member's share, pre-filled with the suggested split when nothing is saved yet, checked as it is typed
(the shares must add up) and saved through ``services.day_targets_save``. Members see their team's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.fields import parse_date_text
from salesops.daily.targets import selectors, services
from salesops.daily.targets.suggestion import suggested_split
from salesops.organisation.selectors import work_calendar
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.metrics import Unit
from salesops.performance.selectors import members as team_members
from salesops.performance.targets.services import resolve_subject

#: The metrics of the morning meeting (R3), offered on the page whether or not a target is set.
DAY_METRICS = ("visits", "new_customer_visits", "new_intent_customers", "sales_amount", "deals", "collections")


def _team(user: User, wanted: str) -> tuple[Team, list[Team]]:
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    chosen = next((t for t in teams if str(t.pk) == wanted), None)
    if wanted and chosen is None:
        raise NotFound(_("No such team."))
    chosen = chosen or next((t for t in teams if t.pk == user.team_id), None) or (teams[0] if teams else None)
    if chosen is None:
        raise NotFound(_("No such team."))
    return chosen, teams


def _may_edit(user: User, team: Team) -> bool:
    try:
        resolve_subject(by=user, subject=Subject.team(team.pk))
    except PermissionDenied:
        return False
    return True


def _posted(request: AuthedHttpRequest, people: list[User], metrics: list[str]) -> tuple[dict, dict]:
    """The form's cells as the service takes them (empty cells are no target)."""
    team = {m: request.POST[f"team__{m}"].strip() for m in metrics if request.POST.get(f"team__{m}", "").strip()}
    members: dict[str, dict[str, str]] = {}
    for person in people:
        shares = {m: request.POST.get(f"m__{person.pk}__{m}", "").strip() for m in metrics}
        members[str(person.pk)] = {m: v for m, v in shares.items() if v}
    return team, {pk: shares for pk, shares in members.items() if shares}


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


@login_required
def day_targets_page(request: AuthedHttpRequest) -> HttpResponse:
    """R4 for one team and day (``?team=&date=``, today by default): saved targets or the suggestion."""
    user = request.user
    team, teams = _team(user, request.GET.get("team", ""))
    today = local_today()
    day = parse_date_text(request.GET.get("date", "")) or today
    people = list(team_members(team_ids=[team.pk]))
    saved = selectors.day_targets(team_id=team.pk, day=day)
    suggestion = suggested_split(team_id=team.pk, day=day)
    metrics = [m for m in registry.names() if m in DAY_METRICS or m in saved.team or m in suggestion.team]
    editable = _may_edit(user, team)
    errors: list[str] = []
    shown = saved if saved.version else suggestion
    team_cells = {m: _cell(shown.team.get(m)) for m in metrics}
    member_cells = {p.pk: {m: _cell(shown.members.get(p.pk, {}).get(m)) for m in metrics} for p in people}
    if request.method == "POST" and editable:
        posted_team, posted_members = _posted(request, people, metrics)
        version = request.POST.get("version", "")
        try:
            services.day_targets_save(by=user, team=team, day=day, team_values=posted_team, members=posted_members,
                                      version=int(version) if version.isdigit() and int(version) else None)
        except (Invalid, Conflict) as error:
            errors = [error.message] if error.message else []
            errors += [m for ms in getattr(error, "fields", {}).values() for m in ms]
            team_cells = {m: posted_team.get(m, "") for m in metrics}
            member_cells = {p.pk: {m: posted_members.get(str(p.pk), {}).get(m, "") for m in metrics} for p in people}
        else:
            messages.success(request, _("The targets of %(day)s are saved.") % {"day": day.isoformat()})
            return redirect(f"{reverse('daily-targets')}?team={team.pk}&date={day.isoformat()}")
    elif request.method == "POST":
        raise PermissionDenied(_("Only the team's lead, its director or an admin sets the team's targets."))
    additive = {m: registry.get(m).additive for m in metrics}
    context = {
        "team": team, "teams": teams if len(teams) > 1 else [], "day": day, "today": today,
        "next_workday": work_calendar().next_workday(today), "is_past": day < today,
        "metrics": [{"name": m, "label": registry.get(m).label, "additive": additive[m], "team": team_cells[m],
                     "suggested": _cell(suggestion.team.get(m)),
                     "step": "1" if registry.get(m).unit == Unit.COUNT else "0.01"} for m in metrics],
        "rows": [{"person": p, "cells": [(m, member_cells[p.pk][m]) for m in metrics]} for p in people],
        "saved": bool(saved.version), "version": saved.version, "editable": editable, "errors": errors,
        "chart": _chart(people, member_cells),
        "previous_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
    }
    return render(request, "daily/targets/day.html", context)


def _chart(people: list[User], cells: dict[int, dict[str, str]]) -> dict[str, Any]:
    """ECharts option: each member's share of visits and deals for the day (what the meeting reads out)."""
    shown = [m for m in ("visits", "deals") if m in registry.names()]
    return {
        "grid": {"left": 8, "right": 16, "top": 28, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [p.display_name for p in people]},
        "series": [{"name": str(registry.get(m).label), "type": "bar",
                    "data": [float(cells[p.pk][m] or 0) for p in people]} for m in shown],
    }
