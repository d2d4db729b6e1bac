"""The plan as a sheet (R26: the same fields as on screen) and the team page's chart of where the plans
stand (with the same counts in the table beside it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from salesops.daily.plans import selectors
from salesops.daily.plans.models import DailyPlan, PlanStatus


def plan_rows(plan: DailyPlan) -> tuple[list[str], list[list[object]]]:
    """One row per line of the plan page: the plan's facts, each customer with its route stop, each task,
    the materials and each resource request with its answer."""
    header = [_("Section"), _("Item"), _("Detail"), _("Status")]
    rows: list[list[object]] = [
        [_("Person"), plan.user.display_name, plan.team.name if plan.team else "", plan.get_status_display()],
        [_("Date"), plan.date, _("Submitted late") if plan.late else "", plan.submitted_at],
    ]
    if plan.comment:
        rows.append([_("Lead's comment"), plan.comment, "", ""])
    if plan.carried_over:
        rows.append([_("Planned the day before"), plan.carried_over, "", ""])
    for row in selectors.stops_of(plan):
        customer = row.customer
        stop = _("Stop %(number)d") % {"number": row.stop} if row.stop else ""
        rows.append([_("Customer"), customer.name, customer.grade or "", " · ".join(
            part for part in (str(row.get_source_display()), stop) if part)])
    rows.append([_("Route"), _("%(km).1f km") % {"km": selectors.route_km_of(plan)}, "", ""])
    for task in plan.tasks.all():
        rows.append([_("Task"), task.title, task.deadline, task.get_status_display()])
    if plan.materials:
        rows.append([_("Materials"), plan.materials, "", ""])
    for request in plan.requests.all():
        rows.append([request.get_kind_display(), request.detail, request.comment, request.get_status_display()])
    return header, rows


def status_counts(board: selectors.TeamDay) -> list[tuple[str, int]]:
    """How many of the team's people have no plan for the day, and how many plans are in each state."""
    counts = board.counts
    return [(_("No plan"), counts.get("none", 0)), *[
        (str(label), counts.get(value, 0)) for value, label in PlanStatus.choices]]


def status_chart(counts: list[tuple[str, int]]) -> dict[str, Any]:
    """A bar per state of the team's plans of the day (the rows of ``status_counts``)."""
    names = [name for name, _count in counts]
    values = [count for _name, count in counts]
    return {
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": names},
        "series": [{"name": _("Plans"), "type": "bar", "data": values, "label": {"show": True, "position": "right"}}],
    }
