"""The weekly review (R18) of a team for an ISO week: per member the tasks done and not done, the week's
figures with the best per metric, the problems raised and resolved and the success cases of the week, and
the team's progress against the month's targets with the gap per metric.

Figures come from the one engine: the week's per person and for the team at its own level
(``engine.figures_per``), the month's progress from ``performance.kpis.kpi_report`` (the same numbers as
/api/kpis/ and the brief). The answer is the API body of ``/api/weekly-reviews/``: JSON values only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.errors import Invalid
from salesops.core.scope import scope_of
from salesops.daily.brief.content import BRIEF_METRICS, Json, as_json
from salesops.daily.brief.display import figure
from salesops.daily.problems.models import Problem
from salesops.daily.problems.selectors import success_cases_since
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import WorkCalendar
from salesops.performance.engine import Subject, figures_per
from salesops.performance.kpis import kpi_report
from salesops.performance.metrics import Level
from salesops.performance.periods import Period, PeriodKind, current
from salesops.performance.selectors import members
from salesops.tasks.models import Task, TaskStatus
from salesops.tasks.selectors import NOT_DONE

#: R18: the figures of the review: those of the brief (R3), for the week and against the month's targets.
REVIEW_METRICS = BRIEF_METRICS


def review_week(text: str | None, *, today: dt.date | None = None) -> Period:
    """The ISO week of ``?week=`` (this week by default); ``Invalid`` under ``week`` for anything else
    ("2026-W54", "2026-11")."""
    if not text:
        return current(PeriodKind.WEEK, today)
    try:
        period: Period | None = Period.parse(text)
    except ValidationError:  # said again under this field, with a week's example
        period = None
    if period is None or period.kind != PeriodKind.WEEK:
        raise Invalid(fields={"week": _("Give an ISO week such as 2026-W48 (weeks 01 to 52 or 53).")})
    return period


def review_day(week: Period, *, calendar: WorkCalendar | None = None, weekday: int | None = None) -> dt.date | None:
    """R18 with R2: the day the review of ``week`` is held: the review weekday of the rule settings
    (Friday by default) when it is a working day, else the last working day of the week; None for a
    week without working days."""
    calendar = calendar or work_calendar()
    chosen = week.first + dt.timedelta(days=rule_settings().weekly_review_weekday if weekday is None else weekday)
    if calendar.is_workday(chosen):
        return chosen
    workdays = week.workdays(calendar)
    return workdays[-1] if workdays else None


def _task(row: dict[str, Any]) -> Json:
    return {"task": row["pk"], "title": row["title"], "deadline": row["deadline"].isoformat(),
            "status": row["status"], "assignee": row["assignee_id"]}


def _tasks(people: list[User], week: Period) -> dict[int, dict[str, list[Json]]]:
    """Each person's tasks approved done in the week, and those due by the week's end and not done (R20:
    a late task stays until done), in one query."""
    found: dict[int, dict[str, list[Json]]] = {person.pk: {"done": [], "not_done": []} for person in people}
    rows = Task.objects.filter(assignee_id__in=list(found), is_active=True).filter(
        Q(status=TaskStatus.DONE, decided_at__gte=week.start, decided_at__lt=week.end)
        | Q(status__in=NOT_DONE, deadline__lte=week.last)
    ).order_by("deadline", "pk")
    for row in rows.values("pk", "title", "deadline", "status", "assignee_id"):
        found[row["assignee_id"]]["done" if row["status"] == TaskStatus.DONE else "not_done"].append(_task(row))
    return found


def _highlights(rows: list[Json]) -> dict[str, Json]:
    """The best of the week per metric: the highest figure above nothing, with everyone who reached it."""
    best: dict[str, Json] = {}
    for metric in REVIEW_METRICS:
        values = [(figure(row["metrics"].get(metric)), row) for row in rows]
        top = max((value for value, _row in values if value), default=None)
        if top is None:
            continue
        leaders = [row for value, row in values if value == top]
        best[metric] = {"value": as_json(top), "users": [row["user"] for row in leaders],
                        "names": [row["display_name"] for row in leaders]}
    return best


def _problem(problem: Problem) -> Json:
    customer = problem.customer
    return {
        "problem": problem.pk, "title": problem.title, "status": problem.status,
        "status_label": str(problem.get_status_display()), "raised_by_name": problem.raised_by.display_name,
        "customer_name": customer.name if customer else "", "customer_owner": customer.owner_id if customer else None,
        "created_at": problem.created_at.isoformat(),
        "resolved_at": problem.resolved_at.isoformat() if problem.resolved_at else None,
        "resolution": problem.resolution,
    }


def _problems(team: Team, week: Period) -> dict[str, list[Json]]:
    rows = Problem.objects.filter(team=team, is_active=True).filter(
        Q(created_at__gte=week.start, created_at__lt=week.end)
        | Q(resolved_at__gte=week.start, resolved_at__lt=week.end)
    ).select_related("raised_by", "customer").order_by("created_at", "pk")
    found: dict[str, list[Json]] = defaultdict(list)
    for problem in rows:
        if week.start <= problem.created_at < week.end:
            found["raised"].append(_problem(problem))
        if problem.resolved_at and week.start <= problem.resolved_at < week.end:
            found["resolved"].append(_problem(problem))
    return {"raised": found["raised"], "resolved": found["resolved"]}


def _cases(team: Team, week: Period) -> list[Json]:
    rows = success_cases_since(team_id=team.pk, since=week.first).filter(created_at__lt=week.end)
    return [{
        "success_case": case.pk, "title": case.title, "story": case.story, "author_name": case.author.display_name,
        "customer_name": case.customer.name if case.customer else "",
        "customer_owner": case.customer.owner_id if case.customer else None, "created_at": case.created_at.isoformat(),
    } for case in rows]


def _month(team: Team, month: Period, today: dt.date | None) -> Json:
    """R18: the team's progress against the month's targets (R22 achievement) and the gap still to close
    per metric (target less actual; none without a target), from the KPI report."""
    report = kpi_report(subject=Subject.team(team.pk), period=month, members=None, metrics=list(REVIEW_METRICS),
                        today=today).as_json()
    found: Json = {}
    for metric, numbers in report["metrics"].items():
        actual, target = figure(numbers["actual"]), figure(numbers["target"])
        gap = None if target is None else max(target - (actual or 0), 0)
        found[metric] = {"actual": numbers["actual"], "target": numbers["target"],
                         "achievement": numbers["achievement"], "gap": as_json(gap)}
    return {"period": str(month), "metrics": found}


def weekly_review(*, team: Team, week: Period, today: dt.date | None = None) -> Json:
    """The review of ``team`` for ``week`` (R18)."""
    day = review_day(week)
    people = list(members(team_ids=[team.pk]))
    each = figures_per(level=Level.PERSON, ids=[p.pk for p in people], period=week, metrics=REVIEW_METRICS,
                       today=today)
    whole = figures_per(level=Level.TEAM, ids=[team.pk], period=week, metrics=REVIEW_METRICS, today=today)[team.pk]
    tasks = _tasks(people, week)
    rows = [{
        "user": person.pk, "display_name": person.display_name,
        "metrics": {metric: as_json(each[person.pk][metric]) for metric in REVIEW_METRICS},
        "tasks_done": tasks[person.pk]["done"], "tasks_not_done": tasks[person.pk]["not_done"],
    } for person in people]
    month = Period.containing(PeriodKind.MONTH, day or week.last)
    return {
        "team": team.pk, "team_name": team.name, "week": str(week), "first": week.first.isoformat(),
        "last": week.last.isoformat(), "review_day": day.isoformat() if day else None,
        "team_metrics": {metric: as_json(whole[metric]) for metric in REVIEW_METRICS},
        "members": rows,
        "highlights": _highlights(rows),
        "problems": _problems(team, week),
        "success_cases": _cases(team, week),
        "month": _month(team, month, today),
    }


def for_reader(content: Json, *, user: User, team: Team) -> Json:
    """The review as ``user`` may read it (R1): whoever manages the team reads it all; a rep of the team
    reads the figures and problems, their own tasks only (a teammate's are None: neither titles nor counts),
    and the customers they see."""
    scope = scope_of(user)
    if scope.everything or team.pk in scope.team_ids:
        return content
    me = user.pk

    def named(row: Json) -> Json:
        seen = row.get("customer_owner") in (None, me)
        return row if seen else {**row, "customer_name": ""}

    return {
        **content,
        "members": [row if row["user"] == me else {**row, "tasks_done": None, "tasks_not_done": None}
                    for row in content["members"]],
        "problems": {group: [named(row) for row in rows] for group, rows in content["problems"].items()},
        "success_cases": [named(row) for row in content["success_cases"]],
    }
