"""The month grid of targets (R22, R4): a team's people × metrics plus the team's row, for a month, with
each additive metric's members' split checked against the team's target (sum and difference). Whoever
manages a row edits it (``services.target_set``: a lead their team and its members, a director their
teams, an admin all); other cells are shown read-only. Emptying a cell clears that target."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.metrics import Level, Unit
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.selectors import members as team_members
from salesops.performance.targets import services
from salesops.performance.targets.models import Target

#: The metrics of API.md, in its order, as the grid's columns (those registered).
GRID_METRICS = ("visits", "new_customer_visits", "new_intent_customers", "sales_amount", "deals", "collections",
                "collection_rate", "conversion_rate", "new_customers", "repurchase_rate")


@dataclass
class Row:
    key: str  # "team" or the person's id: the cells' names
    label: str
    subject: Subject
    editable: bool
    cells: dict[str, tuple[str, int]]  # metric → (value as typed, version)
    shown: list[dict[str, str]] = field(default_factory=list)  # the cells in column order, for the page


def _may(user: User, subject: Subject) -> bool:
    """Whether ``user`` sets this row's targets (``services.resolve_subject``'s rule for a team and its
    members, who are in the caller's sight already), without a query per row."""
    scope = scope_of(user)
    (pk,) = subject.ids
    if subject.level == Level.TEAM:
        return scope.everything or pk in scope.team_ids
    return scope.manages(pk)


def _typed(metric: str, value: Decimal) -> str:
    return str(int(value)) if registry.get(metric).unit == Unit.COUNT else f"{value:.2f}"


def _rows(user: User, team: Team, people: list[User], month: Period, metrics: list[str]) -> list[Row]:
    subjects = [("team", team.name, Subject.team(team.pk))] + [
        (str(p.pk), p.display_name, Subject.person(p.pk)) for p in people]
    saved = {
        (row.subject, row.metric): row
        for row in Target.objects.active().filter(period=str(month), subject__in=[str(s) for _k, _l, s in subjects])
    }
    rows = []
    for key, label, subject in subjects:
        cells = {}
        for metric in metrics:
            found = saved.get((str(subject), metric))
            cells[metric] = (_typed(metric, found.value) if found else "", found.version if found else 0)
        rows.append(Row(key, label, subject, _may(user, subject), cells))
    return rows


def _checks(rows: list[Row], metrics: list[str]) -> dict[str, dict[str, Any]]:
    """Per additive metric: the members' sum, the team's target and the difference (None without one)."""
    found = {}
    for metric in metrics:
        if not registry.get(metric).additive:
            continue
        total = sum((Decimal(r.cells[metric][0]) for r in rows[1:] if r.cells[metric][0]), Decimal(0))
        team = rows[0].cells[metric][0]
        difference = None if team == "" else total - Decimal(team)
        found[metric] = {"sum": _typed(metric, total), "difference": difference,
                         "shown": None if difference is None else _typed(metric, abs(difference))}
    return found


def _save(request: AuthedHttpRequest, rows: list[Row], month: Period, metrics: list[str]) -> int:
    """Every changed cell of the rows the caller manages, all or none; returns how many changed."""
    changed = 0
    with transaction.atomic():
        for row in rows:
            if not row.editable:
                continue
            for metric in metrics:
                typed = request.POST.get(f"t__{row.key}__{metric}", "").strip()
                old, version = row.cells[metric]
                if typed == old:
                    continue
                if typed:
                    services.target_set(by=request.user, subject=row.subject, period=month, metric=metric,
                                        value=typed, version=version or None)
                else:
                    target = Target.objects.get(subject=str(row.subject), period=str(month), metric=metric)
                    services.target_clear(by=request.user, target=target, version=version)
                changed += 1
    return changed


@login_required
def targets_grid(request: AuthedHttpRequest) -> HttpResponse:
    """``?team=&period=2026-11``: the team's month targets (this month and the caller's team by default)."""
    user = request.user
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    wanted = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), None)
    if wanted and team is None:
        raise NotFound(_("No such team."))
    team = team or next((t for t in teams if t.pk == user.team_id), None) or (teams[0] if teams else None)
    if team is None:
        raise NotFound(_("No such team."))
    try:
        month = Period.parse(request.GET.get("period", "")) if request.GET.get("period") else None
    except ValidationError:
        month = None
    if month is None or month.kind != PeriodKind.MONTH:
        month = Period.containing(PeriodKind.MONTH, local_today())
    metrics = [m for m in GRID_METRICS if m in registry.names()]
    people = list(team_members(team_ids=[team.pk]))
    rows = _rows(user, team, people, month, metrics)
    errors: list[str] = []
    if request.method == "POST":
        if not any(row.editable for row in rows):
            raise PermissionDenied(_("Only the team's lead, its director or an admin sets the team's targets."))
        try:
            changed = _save(request, rows, month, metrics)
        except (Invalid, Conflict, PermissionDenied) as error:
            errors = [error.message] if error.message else []
            errors += [m for ms in getattr(error, "fields", {}).values() for m in ms]
        else:
            messages.success(request, _("%(count)d targets saved.") % {"count": changed})
            return redirect(f"{reverse('targets-grid')}?team={team.pk}&period={month}")
    context = {
        "team": team, "teams": teams if len(teams) > 1 else [], "month": month, "errors": errors,
        "previous": month.previous(), "next": month.next(), "rows": rows,
        "metrics": [{"name": m, "label": registry.get(m).label, "additive": registry.get(m).additive,
                     "check": None} for m in metrics],
        "checks": _checks(rows, metrics), "editable": any(row.editable for row in rows),
        "chart": _chart(rows, metrics),
    }
    for metric in context["metrics"]:
        metric["check"] = context["checks"].get(metric["name"])
    for index, row in enumerate(rows):
        role = "team" if index == 0 else "share"
        row.shown = [{"name": m, "value": row.cells[m][0], "role": role if registry.get(m).additive else "",
                      "label": str(registry.get(m).label)} for m in metrics]
    return render(request, "performance/targets/grid.html", context)


def _chart(rows: list[Row], metrics: list[str]) -> dict[str, Any]:
    """ECharts option: each member's month target of sales amount (or the first metric with any)."""
    shown = next((m for m in ("sales_amount", *metrics) if m in metrics and any(r.cells[m][0] for r in rows[1:])),
                 metrics[0] if metrics else "")
    label = str(registry.get(shown).label) if shown else ""
    return {
        "grid": {"left": 8, "right": 16, "top": 28, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"}, "title": {"text": label, "textStyle": {"fontSize": 13}},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "inverse": True, "data": [r.label for r in rows[1:]]},
        "series": [{"name": label, "type": "bar",
                    "data": [float(r.cells[shown][0] or 0) if shown else 0 for r in rows[1:]]}],
    }
