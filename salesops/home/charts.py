"""ECharts options for the home page's figures; each chart has a table of the same figures beside it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from salesops.performance.selectors import PersonCadence, TeamCadence


def percent(value: float | None) -> float | None:
    """A share (0.667) as the percentage the charts show (66.7); None stays "no figure"."""
    return None if value is None else round(value * 100, 1)


def _bars(names: list[str], compliance: list[float | None], overdue: list[int]) -> dict[str, Any]:
    """Compliance in % (bottom axis) and overdue customers (top axis), one row per name."""
    return {
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": [
            {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
            {"type": "value", "minInterval": 1, "position": "top", "splitLine": {"show": False}},
        ],
        "yAxis": {"type": "category", "inverse": True, "data": names},
        "series": [
            {"name": _("Cadence compliance"), "type": "bar", "data": compliance,
             "label": {"show": True, "position": "right", "formatter": "{c}%"}},
            {"name": _("Overdue customers"), "type": "bar", "xAxisIndex": 1, "data": overdue},
        ],
    }


def people_chart(figures: list[PersonCadence]) -> dict[str, Any]:
    return _bars(
        [f.user.display_name for f in figures], [percent(f.compliance) for f in figures], [f.overdue for f in figures]
    )


def teams_chart(figures: list[TeamCadence]) -> dict[str, Any]:
    return _bars(
        [f.team.name for f in figures], [percent(f.compliance) for f in figures], [f.overdue for f in figures]
    )
