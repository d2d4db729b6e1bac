"""Each role's day on the home page, read from the domains' selectors (figures are never computed here).

A rep's day: what is due (R10) and what they logged today (R11). A lead's: the team's overdue and
compliance per person (R10), late records (R11), who has logged nothing today. A director's: the same per
team. Compliance and late shares come from the performance engine, each at its level (R21). An
admin's: the set-up (R1) and the health of the scheduled jobs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from salesops.accounts.models import Team, User
from salesops.core.clock import week_end
from salesops.customers.models import Customer
from salesops.daily.lag import selectors as lag
from salesops.daily.plans import selectors as plans
from salesops.daily.summaries import selectors as summaries
from salesops.followups import selectors as followups
from salesops.followups.cadence import due_label
from salesops.home import charts
from salesops.jobs import registry
from salesops.jobs import selectors as jobs
from salesops.jobs.models import JobRun
from salesops.jobs.services import jobs_due
from salesops.organisation.selectors import setup_state
from salesops.organisation.workcal import WorkCalendar
from salesops.performance import selectors as performance
from salesops.tasks.selectors import open_tasks_on

#: Customers the home page lists; the due page (``followup-today``) has them all, with filters.
DUE_SHOWN = 20
#: Late records and today's records the home page lists.
RECORDS_SHOWN = 10
#: Open tasks the rep's day lists (overdue first); "my tasks" has them all.
TASKS_SHOWN = 10


@dataclass(frozen=True)
class Due:
    """A customer on the day's list, with how its due date reads: "逾期 3 天", "今天", "明天"."""

    customer: Customer
    label: str
    overdue: bool


def rep_day(user: User, today: dt.date) -> dict[str, Any]:
    """Today's work in one place: the day's plan (R7), the counts, the customers due this week (R10, overdue
    first), the open tasks due by today (R20, overdue first), today's records (R11) and whether today's
    summary is written, and when it is due (R17)."""
    end = week_end(today)
    summary_pk, summary_due = summaries.written_and_due(user=user, day=today)
    due = followups.due_between(user=user, today=today, start=None, end=end)[:DUE_SHOWN]
    tasks = open_tasks_on(user=user, day=today).select_related("customer").only(
        "pk", "title", "deadline", "status", "customer__name").order_by("deadline", "id")
    return {
        "plan": plans.plan_on(user_id=user.pk, day=today),
        "summary_pk": summary_pk,
        "summary_due": summary_due,
        "tasks": list(tasks[:TASKS_SHOWN]),
        "counts": followups.due_counts(user=user, today=today, week_end=end),
        "due": [Due(c, due_label(c.next_due_at, today), c.next_due_at < today) for c in due if c.next_due_at],
        "records": list(followups.followups_of_day(user=user, day=today)[:RECORDS_SHOWN]),
        "lag_alerts": list(lag.person_lag_alerts(user_id=user.pk)),
    }


def lead_day(user: User, today: dt.date, calendar: WorkCalendar) -> dict[str, Any]:
    """R10, R11 for the lead's team: figures per person, late records, who has logged nothing today."""
    month_start = today.replace(day=1)
    people = followups.team_reps(user=user)
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    figures = performance.people_cadence(people=people, today=today)
    ordered = sorted(figures, key=lambda f: (-f.overdue, f.user.display_name))
    return {
        "month_start": month_start,
        "people": ordered,
        "chart": charts.people_chart(ordered),
        "team_totals": performance.teams_cadence(teams=teams, today=today),
        "late": followups.late_followups(user=user, start=month_start, end=today, limit=RECORDS_SHOWN),
        "silent": list(followups.silent_people(users=people, day=today)) if calendar.is_workday(today) else None,
        "own_counts": followups.due_counts(user=user, today=today, week_end=week_end(today)),
    }


def director_day(user: User, today: dt.date, calendar: WorkCalendar) -> dict[str, Any]:
    """The same per team: each team's figures at the team level, and who has logged nothing today."""
    month_start = today.replace(day=1)
    teams = list(Team.objects.visible_to(user).active().select_related("lead").order_by("name"))
    silent: dict[int, list[User]] = {}
    if calendar.is_workday(today):
        for person in followups.silent_people(users=followups.team_reps(user=user), day=today):
            silent.setdefault(person.team_id or 0, []).append(person)
    rows = performance.teams_cadence(teams=teams, today=today)
    return {
        "month_start": month_start,
        "teams": [{"figures": row, "silent": silent.get(row.team.pk, [])} for row in rows],
        "chart": charts.teams_chart(rows),
        "silent_known": calendar.is_workday(today),
    }


@dataclass(frozen=True)
class JobHealth:
    """A scheduled job, its latest run (None: never ran) and whether it is due now but has not run."""

    job: registry.Job
    at: dt.time
    run: JobRun | None
    waiting: bool

    @property
    def failed(self) -> bool:
        return self.run is not None and self.run.status == JobRun.Status.FAILED


def admin_day() -> dict[str, Any]:
    """The set-up's state and the scheduled jobs' health: each job's latest run, and those overdue now."""
    scheduled = jobs.schedule()
    latest = jobs.recent_runs(names=[job.name for job, _at in scheduled], limit=1)
    waiting = {job.name for job in jobs_due(now=timezone.now(), scheduled=scheduled)}
    rows = [
        JobHealth(job=job, at=at, run=next(iter(latest.get(job.name, [])), None), waiting=job.name in waiting)
        for job, at in scheduled
    ]
    return {
        "setup": setup_state(),
        "jobs": rows,
        "jobs_failed": len([row for row in rows if row.failed]),
        "jobs_waiting": len(waiting),
    }
