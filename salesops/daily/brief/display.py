"""The brief as people read it (R3, R26): its content (``content.py``) turned into titled sections of
labelled rows, once, for the desk page, the meeting view, the printable page and the sheet alike, so all
of them carry the same fields. Achievement is R22's (``engine.achievement``); "无目标" without a target."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.money import yuan_text
from salesops.daily.brief.content import BRIEF_METRICS, Json
from salesops.followups.models import Channel
from salesops.performance import metrics as registry
from salesops.performance.engine import achievement
from salesops.performance.metrics import Unit
from salesops.tasks.models import TaskStatus

NO_TARGET = gettext_lazy("No target")


def figure(value: Any) -> Decimal | int | None:
    """A figure or target of the content back as a number (money came as a decimal string)."""
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))


def figure_text(metric: str, value: Any) -> str:
    """A figure as a cell shows it: money "¥1,234.00", a count "3", nothing as "—"."""
    number = figure(value)
    if number is None:
        return "—"
    return yuan_text(Decimal(number)) if registry.get(metric).unit == Unit.AMOUNT else str(number)


def ratio_text(ratio: float | None) -> str:
    return str(NO_TARGET) if ratio is None else f"{ratio * 100:.1f}%"


def moment_text(text: str | None) -> str:
    moment = parse_datetime(text) if text else None
    return localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True)
class Column:
    metric: str
    label: str
    money: bool


def columns() -> list[Column]:
    found = []
    for name in BRIEF_METRICS:
        metric = registry.get(name)
        found.append(Column(metric=name, label=str(metric.label), money=metric.unit == Unit.AMOUNT))
    return found


@dataclass
class Section:
    """One part of the brief: a title and a table (a header and rows of cell texts); ``chart`` an ECharts
    option shown beside the table; ``sheet_header`` and ``sheet_rows`` the sheet's cells where they differ
    from the text (numbers as numbers, a figure's actual, target and achievement apart)."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    sheet_header: list[str] = field(default_factory=list)
    sheet_rows: list[list[object]] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    empty: str = ""

    @property
    def table_rows(self) -> SafeString:
        """The table's rows as HTML, every cell escaped: built here rather than by the template's loops,
        which cost several times as much for the hundreds of key customers of a team."""
        return mark_safe("".join(  # noqa: S308  (every cell escaped here)
            "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in self.rows))


def _cells(metric: str, actual: Any, target: Any) -> tuple[str, list[object]]:
    """A figure against its target as one cell on screen ("3 / 5 · 60.0%", "3 · 无目标") and as three
    cells of the sheet (actual, target, achievement in %)."""
    ratio = achievement(figure(actual), figure(target))
    aim = "" if figure(target) is None else f" / {figure_text(metric, target)}"
    text = f"{figure_text(metric, actual)}{aim} · {ratio_text(ratio)}"
    return text, [figure(actual), figure(target), None if ratio is None else round(ratio * 100, 1)]


def _met_word(met: bool | None) -> str:
    return {True: _("Met"), False: _("Missed"), None: str(NO_TARGET)}[met]


def sheet_header(cols: Sequence[Column], first: str) -> list[str]:
    """The sheet's header of a figures table: each metric's actual, target and achievement apart."""
    header = [first]
    for col in cols:
        header += [col.label, _("%(metric)s target") % {"metric": col.label},
                   _("%(metric)s achievement (%%)") % {"metric": col.label}]
    return [*header, _("Result")]


def _yesterday(content: Json, cols: Sequence[Column]) -> Section:
    yesterday = content["yesterday"]
    day = dt.date.fromisoformat(yesterday["date"])
    section = Section(key="yesterday", title=_("Yesterday (%(day)s) against the targets")
                      % {"day": date_format(day, "Y-m-d l")},
                      header=[_("Person"), *(col.label for col in cols), _("Result")],
                      sheet_header=sheet_header(cols, _("Person")))
    lines = [(_("Team"), yesterday["team"], yesterday["targets"], None)] + [
        (member["display_name"], member["metrics"], member["targets"], member["met"]) for member in yesterday["members"]
    ]
    for index, (name, actual, targets, met) in enumerate(lines):
        text: list[str] = [name]
        numbers: list[object] = [name]
        for col in cols:
            cell_text, cell_numbers = _cells(col.metric, actual.get(col.metric), targets.get(col.metric))
            text.append(cell_text)
            numbers += cell_numbers
        result = "" if index == 0 else _met_word(met)
        section.rows.append([*text, result])
        section.sheet_rows.append([*numbers, result])
    section.chart = people_chart([member["display_name"] for member in yesterday["members"]],
                           [member["metrics"] for member in yesterday["members"]],
                           [member["targets"] for member in yesterday["members"]], cols)
    return section


def people_chart(names: list[str], actual: list[Mapping[str, Any]], targets: list[Mapping[str, Any]],
           cols: Sequence[Column]) -> dict[str, Any]:
    """ECharts option: per person, each count metric as bars and the money metrics on a second axis; the
    targets as markers (the table beside it has every number)."""
    series: list[dict[str, Any]] = []
    for col in cols:
        values = [None if figure(row.get(col.metric)) is None else str(figure(row.get(col.metric))) for row in actual]
        aims = [None if figure(row.get(col.metric)) is None else str(figure(row.get(col.metric))) for row in targets]
        axis = 1 if col.money else 0
        series.append({"name": col.label, "type": "bar", "yAxisIndex": axis, "data": values})
        if any(aim is not None for aim in aims):
            series.append({"name": _("%(metric)s target") % {"metric": col.label}, "type": "scatter",
                           "symbol": "rect", "symbolSize": [18, 3], "yAxisIndex": axis, "data": aims})
    return {
        "grid": {"left": 8, "right": 8, "top": 48, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "xAxis": {"type": "category", "data": names,
                  "axisLabel": {"interval": 0, "rotate": 30 if len(names) > 6 else 0}},
        "yAxis": [{"type": "value", "minInterval": 1}, {"type": "value", "name": "¥"}],
        "series": series,
    }


def _praise(content: Json) -> Section:
    names = {member["user"]: member["display_name"] for member in content["yesterday"]["members"]}
    section = Section(key="praise", title=_("Praised and missed"), header=[_("Person"), _("Result"), _("Reasons")],
                      empty=_("No one had targets yesterday."))
    for pk in content["praised"]:
        section.rows.append([names.get(pk, ""), _("Met or exceeded every target"), ""])
    for entry in content["missed"]:
        if entry["reasons"]:
            reasons = "; ".join(f"{item['item']}: {item['reason']}" for item in entry["reasons"])
        elif entry["summary_submitted"]:
            reasons = _("No reason given in the daily summary.")
        else:
            reasons = _("No daily summary.")
        section.rows.append([entry["display_name"], _("Missed a target"), reasons])
    return section


def _key_customers(content: Json) -> Section:
    channels = {value: str(label) for value, label in Channel.choices}
    section = Section(key="customers", title=_("Key customers (A): latest follow-up"),
                      header=[_("Customer"), _("Owner"), _("Latest follow-up"), _("Channel"), _("Key points"),
                              _("Next step"), _("Next follow-up due")],
                      empty=_("No A customers."))
    for row in content["key_customers"]:
        latest = row["latest_followup"] or {}
        section.rows.append([
            row["name"], row["owner_name"], moment_text(latest.get("contacted_at")) or _("Never followed up"),
            channels.get(latest.get("channel", ""), ""), latest.get("key_points", ""),
            latest.get("next_step", ""), row["next_due_at"] or "",
        ])
    return section


def _problems(content: Json) -> Section:
    section = Section(key="problems", title=_("Open problems"),
                      header=[_("Problem"), _("Status"), _("Owner"), _("Raised by"), _("Customer"), _("Raised at")],
                      empty=_("No open problems."))
    for row in content["problems"]:
        owner = row["owner_name"] or row["resource_label"]
        section.rows.append([row["title"], row["status_label"], owner, row["raised_by_name"], row["customer_name"],
                             moment_text(row["created_at"])])
    return section


def _success_cases(content: Json) -> Section:
    section = Section(key="cases", title=_("New success cases"),
                      header=[_("Success case"), _("Story"), _("Author"), _("Customer"), _("Written at")],
                      empty=_("No new success cases."))
    for row in content["success_cases"]:
        section.rows.append([row["title"], row["story"], row["author_name"], row["customer_name"],
                             moment_text(row["created_at"])])
    return section


def _tasks(content: Json) -> Section:
    statuses = dict(TaskStatus.choices)
    section = Section(key="tasks", title=_("Tasks due today and overdue"),
                      header=[_("Task"), _("Assignee"), _("Deadline"), _("Status"), _("Due")],
                      empty=_("No tasks due today or overdue."))
    groups: list[tuple[str, str | Promise]] = [("overdue", _("Overdue")), ("due_today", _("Due today"))]
    for key, word in groups:
        for row in content["tasks"][key]:
            status = str(statuses.get(row["status"], ""))
            section.rows.append([row["title"], row["assignee_name"], row["deadline"], status, str(word)])
    return section


def _lag(content: Json) -> Section:
    section = Section(key="lag", title=_("Lag streaks"),
                      header=[_("Person"), _("Working days under the visit target"), _("Since"), _("Talk")],
                      empty=_("No one is lagging."))
    for row in content["lag_alerts"]:
        talk = row["talk"]
        parts = () if talk is None else (talk["cause_label"], talk["remedy_label"], talk["note"])
        said = " · ".join(part for part in parts if part)
        section.rows.append([row["display_name"], str(row["days"]), row["started_on"], said or _("No talk yet")])
    return section


def _today(content: Json, cols: Sequence[Column]) -> Section:
    today = content["today"]
    names = {str(member["user"]): member["display_name"] for member in content["yesterday"]["members"]}
    section = Section(key="today", title=_("Today's targets and split"),
                      header=[_("Person"), *(col.label for col in cols)], empty=_("No targets set for today."))
    lines = [(_("Team"), today["team"])] + [(names.get(pk, pk), split) for pk, split in today["members"].items()]
    if not today["team"] and not today["members"]:
        return section
    for name, split in lines:
        section.rows.append([name, *(figure_text(col.metric, split.get(col.metric)) for col in cols)])
        section.sheet_rows.append([name, *(figure(split.get(col.metric)) for col in cols)])
    people = [name for name, _split in lines[1:]]
    splits = [split for _name, split in lines[1:]]
    section.chart = people_chart(people, splits, [{} for _split in splits], cols)
    return section


def sections(content: Json) -> list[Section]:
    """The brief's sections in the order the meeting goes through them."""
    cols = columns()
    return [_yesterday(content, cols), _praise(content), _key_customers(content), _problems(content),
            _success_cases(content), _tasks(content), _lag(content), _today(content, cols)]
