"""Reads of tasks: a person's open tasks on a day (R20 rollover), my tasks in their groups, the approval
queue, one task with its timeline and its measured progress (R16). Every read goes through
``Task.objects.visible_to`` (R1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from salesops.accounts.models import User
from salesops.core.clock import day_start, local_today
from salesops.core.scope import scope_of
from salesops.customers.hooks import TimelineEntry
from salesops.customers.models import Customer
from salesops.tasks import targets
from salesops.tasks.models import Task, TaskCheckpoint, TaskProof, TaskStatus

NOT_DONE = (TaskStatus.OPEN, TaskStatus.REJECTED, TaskStatus.SUBMITTED)
WITH_ASSIGNEE = (TaskStatus.OPEN, TaskStatus.REJECTED)


#: A list row's columns: the task's own, and only the names of its people and its customer.
LISTED_FIELDS = (
    *(field.name for field in Task._meta.concrete_fields),
    "assignee__display_name", "assignee__username", "assigner__display_name", "assigner__username",
    "customer__name",
)


def active_proofs() -> Prefetch[Any]:
    return Prefetch("proofs", queryset=TaskProof.objects.filter(is_active=True), to_attr="active_proofs")


def _rows(rows: QuerySet[Task]) -> QuerySet[Task]:
    return rows.select_related("assignee", "assigner", "customer").only(*LISTED_FIELDS)


def listed(rows: QuerySet[Task]) -> QuerySet[Task]:
    """What a list row shows: the people, the customer and the active proofs, in a fixed number of queries."""
    return _rows(rows).prefetch_related(active_proofs())


def open_tasks_on(*, user: User, day: dt.date) -> QuerySet[Task]:
    """R20: ``user``'s tasks not done whose deadline is on or before ``day``: a late task rolls into every
    next day until it is done (the daily plan shows them)."""
    return Task.objects.filter(assignee=user, is_active=True, status__in=NOT_DONE, deadline__lte=day)


def tasks_of_day(*, user: User, day: dt.date) -> QuerySet[Task]:
    """R17: ``user``'s tasks handed in or approved done on ``day`` (the daily summary's done items)."""
    start, end = day_start(day), day_start(day + dt.timedelta(days=1))
    handed_in = Q(submitted_at__gte=start, submitted_at__lt=end)
    approved = Q(status=TaskStatus.DONE, decided_at__gte=start, decided_at__lt=end)
    return (
        Task.objects.filter(handed_in | approved, assignee=user, is_active=True)
        .select_related("customer").only("id", "title", "status", "customer__name").order_by("id")
    )


@dataclass
class MyTasks:
    """A person's tasks as the phone page groups them."""

    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    upcoming: list[Task] = field(default_factory=list)
    awaiting: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming) + len(self.awaiting)


#: The most tasks a group of my tasks shows: a phone's screenful or two; the rest come as those are done.
GROUP_SIZE = 30


def my_tasks(*, user: User, limit: int = GROUP_SIZE) -> MyTasks:
    """``user``'s own unfinished tasks: overdue, due today, later, awaiting approval (each at most ``limit``)."""
    today = local_today()
    mine = _rows(Task.objects.filter(assignee=user, is_active=True))
    with_me = mine.filter(status__in=WITH_ASSIGNEE)
    found = MyTasks(
        overdue=list(with_me.filter(deadline__lt=today)[:limit]),
        today=list(with_me.filter(deadline=today)[:limit]),
        upcoming=list(with_me.filter(deadline__gt=today)[:limit]),
        awaiting=list(mine.filter(status=TaskStatus.SUBMITTED).order_by("submitted_at", "id")[:limit]),
    )
    prefetch_related_objects([*found.overdue, *found.today, *found.upcoming, *found.awaiting], active_proofs())
    return found


def approval_queue(*, user: User) -> QuerySet[Task]:
    """R20: the submitted tasks ``user`` may decide: assigned by them or of people they manage, never their
    own; oldest submission first."""
    may_decide = Q(assigner=user) | scope_of(user).managed_q("assignee")
    return listed(
        Task.objects.visible_to(user)
        .filter(may_decide, is_active=True, status=TaskStatus.SUBMITTED)
        .exclude(assignee=user)
        .order_by("submitted_at", "id")
    )


def task_list(*, user: User) -> QuerySet[Task]:
    """Every task ``user`` may see (R1), for the API and the filters."""
    return listed(Task.objects.visible_to(user).filter(is_active=True))


def task_detail(*, user: User, pk: int) -> Task | None:
    """One task as its page shows it (R1), with its people, customer and active proofs."""
    return (
        Task.objects.visible_to(user).filter(is_active=True, pk=pk)
        .select_related("assignee", "assigner", "customer", "decided_by").prefetch_related(active_proofs()).first()
    )


def is_overdue(task: Task, today: dt.date | None = None) -> bool:
    """Past its deadline and still with its assignee (R20)."""
    return task.status in WITH_ASSIGNEE and task.deadline < (today or local_today())


@dataclass(frozen=True)
class Moment:
    """One entry of a task's timeline: a version (its reason says what happened: assigned, submitted,
    approved, sent back with the comment), a checkpoint, a proof."""

    at: dt.datetime
    kind: str
    item: Any


def timeline(task: Task) -> list[Moment]:
    """The task's story, newest first: its versions with their reasons (R12), checkpoints and proofs."""
    moments = [Moment(row.history_date, "change", row) for row in task.history.select_related("history_user")]
    moments += [Moment(row.at, "checkpoint", row) for row in TaskCheckpoint.objects.filter(task=task)
                .select_related("by")]
    moments += [Moment(row.uploaded_at, "proof", row) for row in TaskProof.objects.filter(task=task)
                .select_related("uploaded_by")]
    return sorted(moments, key=lambda moment: moment.at, reverse=True)


def progress(task: Task) -> targets.Progress | None:
    """R16: the task's measured target, counted live from the data; None without one."""
    if not task.target_measure or not task.target_count or task.target_since is None:
        return None
    return targets.progress(measure=task.target_measure, person=task.assignee_id, since=task.target_since,
                            until=task.deadline, target=task.target_count)


def customer_timeline_entries(customer: Customer, user: User, limit: int) -> list[TimelineEntry]:
    """The customer's latest tasks the user may see (R1), for the customer page's timeline."""
    tasks = (
        Task.objects.visible_to(user).filter(customer=customer, is_active=True)
        .select_related("assignee").order_by("-created_at", "-id")[:limit]
    )
    return [TimelineEntry(at=task.created_at, template="tasks/_timeline_entry.html", item=task) for task in tasks]
