"""What a morning brief holds (R3), worked out for one team or for every team at once.

The figures come from the one engine (``performance.engine``): yesterday's figures of each person and of
each team at their own level (R21), read for all people and all teams of the call together, so the
``morning_brief`` job costs a few queries per source, not per team. The other parts read the selectors of
their sub-domains (daily targets, summaries, problems and success cases, lag alerts) and of tasks and
customers. The result is the API body of ``/api/briefs/`` (API.md): JSON values only, money as decimal
strings, so the stored snapshot and a brief worked out now read the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery

from salesops.accounts.models import Team, User
from salesops.customers.choices import Grade
from salesops.customers.models import Customer
from salesops.daily.lag.selectors import open_lag_alerts
from salesops.daily.problems.selectors import open_problems, success_cases_since
from salesops.daily.summaries.selectors import summaries_of
from salesops.daily.targets.selectors import day_targets
from salesops.followups.models import FollowUp
from salesops.organisation.selectors import work_calendar
from salesops.performance.engine import Figures, figures_per
from salesops.performance.metrics import Level, Value
from salesops.performance.periods import Period
from salesops.performance.selectors import members
from salesops.tasks.models import Task
from salesops.tasks.selectors import NOT_DONE, WITH_ASSIGNEE

#: R3: the figures of the brief, in the order the brief shows them (API.md metric words).
BRIEF_METRICS = ("visits", "new_customer_visits", "new_intent_customers", "sales_amount", "deals", "collections")

Json = dict[str, Any]


def as_json(value: Value | Decimal) -> Any:
    """A figure or target as the API writes it: money (Decimal) as a decimal string, counts as numbers."""
    return str(value) if isinstance(value, Decimal) else value


def _json_figures(found: Mapping[str, Value | Decimal]) -> Json:
    return {metric: as_json(found[metric]) for metric in BRIEF_METRICS if metric in found}


def met(actual: Mapping[str, Value], targets: Mapping[str, Value | Decimal]) -> bool | None:
    """R3: met (praised) when every metric with a target reached it; None when no metric has a target."""
    aimed = [metric for metric in BRIEF_METRICS if targets.get(metric) is not None]
    if not aimed:
        return None
    return all(Decimal(str(actual.get(metric) or 0)) >= Decimal(str(targets[metric])) for metric in aimed)


def brief_yesterday(day: dt.date) -> dt.date:
    """R3 with R2: the brief of ``day`` looks back at the previous working day."""
    return work_calendar().previous_workday(day)


@dataclass(frozen=True)
class _Shared:
    """What the briefs of several teams read together: their people and yesterday's figures."""

    day: dt.date
    yesterday: dt.date
    people: dict[int, list[User]]
    person_figures: dict[int, Figures]
    team_figures: dict[int, Figures]
    summaries: Mapping[int, Any]
    key_customers: dict[int, list[Json]]
    tasks: dict[int, Json]


def key_customers(*, people: Mapping[int, Sequence[User]]) -> dict[int, list[Json]]:
    """R3 key-customer progress: every active A customer owned by the teams' people with its latest
    follow-up, in one query (the customers read off the owner index, the latest record per customer off its
    (customer, contacted_at) index). Those longest without a follow-up come first."""
    team_of = {person.pk: team_id for team_id, team_people in people.items() for person in team_people}
    latest = FollowUp.objects.filter(customer=OuterRef("pk"), is_active=True).order_by("-contacted_at", "-id")

    def last(field: str) -> Subquery:
        return Subquery(latest.values(field)[:1])

    rows = (
        Customer.objects.active()
        .filter(grade=Grade.A, owner_id__in=sorted(team_of))
        .annotate(
            owner_name=F("owner__display_name"),
            followed_at=last("contacted_at"), channel=last("channel"), key_points=last("key_points"),
            next_step=last("next_step"), author_name=last("author__display_name"),
        )
        .order_by(F("followed_at").asc(nulls_first=True), "name", "pk")
        .values("pk", "name", "owner_id", "owner_name", "next_due_at", "followed_at", "channel",
                "key_points", "next_step", "author_name")
    )
    found: dict[int, list[Json]] = defaultdict(list)
    for row in rows:
        latest_followup = None if row["followed_at"] is None else {
            "contacted_at": row["followed_at"].isoformat(), "channel": row["channel"],
            "key_points": row["key_points"], "next_step": row["next_step"], "author_name": row["author_name"],
        }
        found[team_of[row["owner_id"]]].append({
            "customer": row["pk"], "name": row["name"], "owner": row["owner_id"], "owner_name": row["owner_name"],
            "next_due_at": row["next_due_at"].isoformat() if row["next_due_at"] else None,
            "latest_followup": latest_followup,
        })
    return found


def team_tasks(*, people: Mapping[int, Sequence[User]], day: dt.date) -> dict[int, Json]:
    """R3: the team's tasks due on ``day`` (not done) and overdue (R20: past the deadline, still with the
    assignee), read for every team's people in one query."""
    team_of = {person.pk: team_id for team_id, team_people in people.items() for person in team_people}
    rows: QuerySet[Task] = Task.objects.filter(
        assignee_id__in=sorted(team_of), is_active=True, status__in=NOT_DONE, deadline__lte=day
    ).order_by("deadline", "pk")
    found: dict[int, Json] = {team_id: {"due_today": [], "overdue": []} for team_id in people}
    for row in rows.values("pk", "title", "assignee_id", "assignee__display_name", "deadline", "status"):
        if row["deadline"] == day:
            group = "due_today"
        elif row["status"] in WITH_ASSIGNEE:
            group = "overdue"
        else:
            continue
        found[team_of[row["assignee_id"]]][group].append({
            "task": row["pk"], "title": row["title"], "assignee": row["assignee_id"],
            "assignee_name": row["assignee__display_name"], "deadline": row["deadline"].isoformat(),
            "status": row["status"],
        })
    return found


def _shared(team_ids: Sequence[int], day: dt.date) -> _Shared:
    yesterday = brief_yesterday(day)
    people: dict[int, list[User]] = {team_id: [] for team_id in team_ids}
    for person in members(team_ids=list(team_ids)):
        people[person.team_id].append(person)  # type: ignore[index]
    person_ids = [person.pk for team_people in people.values() for person in team_people]
    period = Period.day(yesterday)
    return _Shared(
        day=day,
        yesterday=yesterday,
        people=people,
        person_figures=figures_per(level=Level.PERSON, ids=person_ids, period=period, metrics=BRIEF_METRICS,
                                   today=day),
        team_figures=figures_per(level=Level.TEAM, ids=team_ids, period=period, metrics=BRIEF_METRICS, today=day),
        summaries=summaries_of(user_ids=person_ids, day=yesterday),
        key_customers=key_customers(people=people),
        tasks=team_tasks(people=people, day=day),
    )


def _reasons(summary: Any) -> list[Json]:
    """The not-done items of a daily summary (R17) with the reason given for each."""
    if summary is None:
        return []
    return [{"item": entry.get("item", ""), "reason": entry.get("reason", "")} for entry in summary.not_done or []]


def _problem(problem: Any) -> Json:
    customer = problem.customer
    return {
        "problem": problem.pk, "title": problem.title, "detail": problem.detail,
        "category": problem.category, "category_label": str(problem.get_category_display()),
        "status": problem.status, "status_label": str(problem.get_status_display()),
        "owner": problem.owner_user_id, "owner_name": problem.owner_user.display_name if problem.owner_user else "",
        "resource": problem.owner_resource,
        "resource_label": str(problem.get_owner_resource_display()) if problem.owner_resource else "",
        "raised_by": problem.raised_by_id, "raised_by_name": problem.raised_by.display_name,
        "customer": problem.customer_id, "customer_name": customer.name if customer else "",
        "customer_owner": customer.owner_id if customer else None,
        "created_at": problem.created_at.isoformat(),
    }


def _success_case(case: Any) -> Json:
    customer, deal = case.customer, case.deal
    return {
        "success_case": case.pk, "title": case.title, "story": case.story,
        "author": case.author_id, "author_name": case.author.display_name,
        "customer": case.customer_id, "customer_name": customer.name if customer else "",
        "customer_owner": customer.owner_id if customer else None,
        "deal": case.deal_id, "deal_title": deal.title if deal else "", "deal_owner": deal.owner_id if deal else None,
        "created_at": case.created_at.isoformat(),
    }


def _lag_alert(alert: Any) -> Json:
    """R19: a streak under the daily visit target and the latest talk the lead recorded about it."""
    talks = list(alert.talks.all())
    talk = talks[-1] if talks else None
    return {
        "alert": alert.pk, "user": alert.subject_user_id, "display_name": alert.subject_user.display_name,
        "started_on": alert.started_on.isoformat(), "last_day": alert.last_day.isoformat(), "days": alert.days,
        "status": alert.status,
        "talk": None if talk is None else {
            "cause": talk.cause, "cause_label": str(talk.get_cause_display()), "remedy": talk.remedy,
            "remedy_label": str(talk.get_remedy_display()), "note": talk.note, "status": talk.status,
        },
    }


def _team_brief(team: Team, shared: _Shared) -> Json:
    day, yesterday = shared.day, shared.yesterday
    aimed = day_targets(team_id=team.pk, day=yesterday)
    today = day_targets(team_id=team.pk, day=day)
    people = shared.people.get(team.pk, [])
    rows: list[Json] = []
    praised: list[int] = []
    missed: list[Json] = []
    for person in people:
        actual = shared.person_figures.get(person.pk, {})
        targets = aimed.members.get(person.pk, {})
        reached = met(actual, targets)
        rows.append({"user": person.pk, "display_name": person.display_name, "metrics": _json_figures(actual),
                     "targets": _json_figures(targets), "met": reached})
        if reached:
            praised.append(person.pk)
        elif reached is False:
            summary = shared.summaries.get(person.pk)
            missed.append({"user": person.pk, "display_name": person.display_name,
                           "summary_submitted": summary is not None, "reasons": _reasons(summary)})
    return {
        "team": team.pk,
        "team_name": team.name,
        "date": day.isoformat(),
        "yesterday": {
            "date": yesterday.isoformat(),
            "team": _json_figures(shared.team_figures.get(team.pk, {})),
            "targets": _json_figures(aimed.team),
            "members": rows,
        },
        "praised": praised,
        "missed": missed,
        "key_customers": shared.key_customers.get(team.pk, []),
        "problems": [_problem(problem) for problem in open_problems(team_id=team.pk)],
        "success_cases": [_success_case(case) for case in success_cases_since(team_id=team.pk, since=yesterday)],
        "tasks": shared.tasks.get(team.pk, {"due_today": [], "overdue": []}),
        "lag_alerts": [_lag_alert(alert) for alert in open_lag_alerts(team_id=team.pk)],
        "today": {
            "date": day.isoformat(),
            "team": _json_figures(today.team),
            "members": {str(pk): _json_figures(split) for pk, split in today.members.items()},
        },
    }


def briefs_content(*, teams: Iterable[Team], day: dt.date) -> dict[int, Json]:
    """The brief of ``day`` of each of ``teams`` (their working day; R3), by team id."""
    chosen = list(teams)
    shared = _shared([team.pk for team in chosen], day)
    return {team.pk: _team_brief(team, shared) for team in chosen}
