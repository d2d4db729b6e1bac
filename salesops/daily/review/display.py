"""The weekly review as people read it (R18, R26): its content turned into sections once, for the page,
the printable page and the sheet alike (the brief's ``Section``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from salesops.daily.brief.content import Json
from salesops.daily.brief.display import (
    Column,
    Section,
    columns,
    figure,
    figure_text,
    moment_text,
    people_chart,
    ratio_text,
)


def _month(content: Json, cols: Sequence[Column]) -> Section:
    month = content["month"]
    section = Section(
        key="month", title=_("Team progress against the month's targets (%(month)s)") % {"month": month["period"]},
        header=[_("Metric"), _("Actual"), _("Target"), _("Achievement"), _("Gap")],
    )
    for col in cols:
        numbers = month["metrics"].get(col.metric, {})
        ratio = numbers.get("achievement")
        section.rows.append([col.label, figure_text(col.metric, numbers.get("actual")),
                             figure_text(col.metric, numbers.get("target")), ratio_text(ratio),
                             figure_text(col.metric, numbers.get("gap"))])
        section.sheet_rows.append([col.label, figure(numbers.get("actual")), figure(numbers.get("target")),
                                   None if ratio is None else round(ratio * 100, 1), figure(numbers.get("gap"))])
    section.sheet_header = [_("Metric"), _("Actual"), _("Target"), _("Achievement (%)"), _("Gap")]
    section.chart = {
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "max": 150, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [col.label for col in cols]},
        "series": [{"name": _("Achievement"), "type": "bar", "data": [
            None if month["metrics"].get(col.metric, {}).get("achievement") is None
            else round(month["metrics"][col.metric]["achievement"] * 100, 1) for col in cols]}],
    }
    return section


def _figures(content: Json, cols: Sequence[Column]) -> Section:
    best = content["highlights"]
    section = Section(key="figures", title=_("The week's figures"),
                      header=[_("Person"), *(col.label for col in cols)])
    team = content["team_metrics"]
    section.rows.append([_("Team"), *(figure_text(col.metric, team.get(col.metric)) for col in cols)])
    section.sheet_rows.append([_("Team"), *(figure(content["team_metrics"].get(col.metric)) for col in cols)])
    for row in content["members"]:
        cells = []
        for col in cols:
            text = figure_text(col.metric, row["metrics"].get(col.metric))
            cells.append(f"★ {text}" if row["user"] in best.get(col.metric, {}).get("users", []) else text)
        section.rows.append([row["display_name"], *cells])
        section.sheet_rows.append([row["display_name"], *(figure(row["metrics"].get(col.metric)) for col in cols)])
    section.chart = people_chart([row["display_name"] for row in content["members"]],
                                 [row["metrics"] for row in content["members"]], [{} for _row in content["members"]],
                                 cols)
    return section


def _highlights(content: Json, cols: Sequence[Column]) -> Section:
    section = Section(key="highlights", title=_("Data highlights: the best of the week"),
                      header=[_("Metric"), _("Best"), _("Who")], empty=_("No figures this week."))
    for col in cols:
        best = content["highlights"].get(col.metric)
        if best is not None:
            section.rows.append([col.label, figure_text(col.metric, best["value"]), "、".join(best["names"])])
    return section


def _titles(tasks: list[Json] | None) -> str:
    return "" if tasks is None else "; ".join(task["title"] for task in tasks)


def _count(tasks: list[Json] | None) -> Any:
    return "—" if tasks is None else len(tasks)


def _tasks(content: Json) -> Section:
    section = Section(key="tasks", title=_("Tasks per member"),
                      header=[_("Person"), _("Done"), _("Not done"), _("Tasks done"), _("Tasks not done")])
    for row in content["members"]:
        cells = [row["display_name"], _count(row["tasks_done"]), _count(row["tasks_not_done"]),
                 _titles(row["tasks_done"]), _titles(row["tasks_not_done"])]
        section.rows.append([str(cell) for cell in cells])
        section.sheet_rows.append(cells)
    return section


def _problems(content: Json) -> Section:
    section = Section(key="problems", title=_("Problems raised and resolved"),
                      header=[_("Problem"), _("This week"), _("Status"), _("Raised by"), _("Customer"),
                              _("Resolution")],
                      empty=_("No problems raised or resolved this week."))
    for group, word in (("raised", _("Raised")), ("resolved", _("Resolved"))):
        for row in content["problems"][group]:
            when = moment_text(row["created_at"] if group == "raised" else row["resolved_at"])
            section.rows.append([row["title"], f"{word} {when}", row["status_label"], row["raised_by_name"],
                                 row["customer_name"], row["resolution"]])
    return section


def _cases(content: Json) -> Section:
    section = Section(key="cases", title=_("Success cases of the week"),
                      header=[_("Success case"), _("Story"), _("Author"), _("Customer"), _("Written at")],
                      empty=_("No success cases this week."))
    for row in content["success_cases"]:
        section.rows.append([row["title"], row["story"], row["author_name"], row["customer_name"],
                             moment_text(row["created_at"])])
    return section


def sections(content: Json) -> list[Section]:
    """The review's sections in the order the meeting goes through them."""
    cols = columns()
    return [_month(content, cols), _figures(content, cols), _highlights(content, cols), _tasks(content),
            _problems(content), _cases(content)]
