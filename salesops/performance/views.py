"""Figure pages: the team page of cadence compliance (R10), late logs (R11) and overdue customers; the
metrics' definitions (R21-R24)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.accounts.models import Team
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import PermissionDenied
from salesops.customers.models import Customer
from salesops.followups import selectors as followups
from salesops.organisation.selectors import rule_settings
from salesops.performance import metrics as registry
from salesops.performance.engine import Figures, Subject, figures, figures_per
from salesops.performance.kpis import KPI_METRICS
from salesops.performance.metrics import Level, Unit
from salesops.performance.periods import PeriodKind, current

#: Overdue customers shown per person on the team page; the rest are one link away in the customer list.
OVERDUE_PER_PERSON = 5
#: How the help page names each unit.
UNIT_WORDS = {Unit.AMOUNT: gettext_lazy("Amount (CNY)"), Unit.COUNT: gettext_lazy("Count"),
              Unit.RATE: gettext_lazy("Rate")}
METRICS = ["graded_customers", "overdue_customers", "compliance", "followups", "late_followups", "late_share"]


def _percent(value: Any) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def _shown(found: Figures) -> dict[str, Any]:
    """The figures as the page shows them: counts, and rates in percent."""
    return {
        "customers": found["graded_customers"],
        "overdue": found["overdue_customers"],
        "followups": found["followups"],
        "late": found["late_followups"],
        "compliance": _percent(found["compliance"]),
        "late_share": _percent(found["late_share"]),
    }


def _chart(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """ECharts option: cadence compliance per person (R10), in percent."""
    return {
        "grid": {"left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "inverse": True, "data": [g["person"].display_name for g in groups]},
        "series": [
            {
                "name": _("Cadence compliance"),
                "type": "bar",
                "data": [g["compliance"] for g in groups],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
            }
        ],
    }


def _chosen_team(request: AuthedHttpRequest, teams: list[Team]) -> Team | None:
    """The team picked with ``?team=<id>`` among the caller's teams; None for all of them (or a bad value)."""
    wanted = request.GET.get("team", "")
    return next((team for team in teams if str(team.pk) == wanted), None)


@login_required
def team_overdue(request: AuthedHttpRequest) -> HttpResponse:
    """R10 for leads and directors: each person's cadence compliance today, late-logging share (R11) this
    month and overdue customers, and the same figures of the team (or the teams together) computed over
    its own rows (R21). One team shows each person's longest-overdue customers; several teams (a director,
    an admin) show one line per person, and a team can be picked to see its customers."""
    user = request.user
    if not user.has_perm("performance.view_team_figures"):
        raise PermissionDenied(_("Only team leads, directors and admins see the team's overdue customers."))
    today = local_today()
    month = current(PeriodKind.MONTH, today)
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    team = _chosen_team(request, teams)
    people = followups.team_reps(user=user)
    reps = list(people.filter(team=team) if team else people)
    each = figures_per(level=Level.PERSON, ids=[rep.pk for rep in reps], period=month, metrics=METRICS, today=today)
    subject = Subject.team(team.pk) if team else Subject.teams(t.pk for t in teams)
    totals = _shown(figures(subject=subject, period=month, metrics=METRICS, today=today))
    detailed = len({rep.team_id for rep in reps}) <= 1
    per_owner: dict[int, list[Customer]] = {}
    if detailed and reps:
        top = followups.team_overdue(user=user, today=today, owner_ids=[rep.pk for rep in reps],
                                     per_owner=OVERDUE_PER_PERSON)
        for customer in top:
            per_owner.setdefault(customer.owner_id or 0, []).append(customer)
    groups = [{"person": rep, **_shown(each[rep.pk]), "overdue_customers": per_owner.get(rep.pk, [])} for rep in reps]
    groups.sort(key=lambda g: (-g["overdue"], g["person"].display_name))
    context = {
        "today": today,
        "month_start": month.first,
        "teams": teams if len(teams) > 1 else [],
        "team": team,
        "detailed": detailed,
        "groups": groups,
        "totals": totals,
        "chart": _chart(groups),
    }
    return render(request, "performance/team_overdue.html", context)


@login_required
def metrics_help(request: AuthedHttpRequest) -> HttpResponse:
    """Every metric of the engine with its definition and attribution (R21), and how achievement (R22),
    anomalies (R23) and change (R24) are worked out: the KPI report's legend, in the user's language."""
    rank = {name: position for position, name in enumerate(KPI_METRICS)}
    ordered = sorted(registry.registered(), key=lambda metric: rank.get(metric.name, len(rank)))
    listed = [
        {"metric": metric, "kpi": metric.name in rank, "unit": UNIT_WORDS[metric.unit]} for metric in ordered
    ]
    context = {"metrics": listed, "anomaly_percent": rule_settings().anomaly_below_percent}
    return render(request, "performance/metrics_help.html", context)
