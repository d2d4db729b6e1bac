"""R20 rollover: a late task gets a new checkpoint and a reason from its assignee, every checkpoint kept,
and stays in the person's open tasks of each next day until done; R16 progress counted from the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.core.errors import Conflict, Invalid, PermissionDenied
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.tasks import selectors, services
from salesops.tasks.models import TaskCheckpoint, TaskStatus
from salesops.tasks.tests.conftest import local, photo


@pytest.fixture
def late(actors, make_task, clock):
    task = make_task(deadline=dt.date(2026, 3, 5))
    clock.set(local(2026, 3, 9, 9))
    return task


def test_a_late_task_gets_a_new_checkpoint_with_a_reason(actors, late, clock):
    row = services.task_reschedule(by=actors.rep_a1, task=late, checkpoint=dt.date(2026, 3, 11), reason="客户出差")
    late.refresh_from_db()
    assert late.deadline == dt.date(2026, 3, 11)
    assert (row.previous_deadline, row.checkpoint) == (dt.date(2026, 3, 5), dt.date(2026, 3, 11))
    assert row.reason == "客户出差"
    clock.set(local(2026, 3, 12, 9))
    services.task_reschedule(by=actors.rep_a1, task=late, checkpoint=dt.date(2026, 3, 12), reason="今天补拍")
    assert [(row.previous_deadline, row.checkpoint) for row in TaskCheckpoint.objects.all()] == [
        (dt.date(2026, 3, 5), dt.date(2026, 3, 11)), (dt.date(2026, 3, 11), dt.date(2026, 3, 12))]
    assert "今天补拍" in late.history.first().history_change_reason


@pytest.mark.parametrize(
    ("checkpoint", "reason", "field"),
    [(dt.date(2026, 3, 8), "客户出差", "checkpoint"), (dt.date(2026, 3, 10), "  ", "reason")],
)
def test_bad_checkpoints_are_refused(actors, late, checkpoint, reason, field):
    with pytest.raises(Invalid) as error:
        services.task_reschedule(by=actors.rep_a1, task=late, checkpoint=checkpoint, reason=reason)
    assert field in error.value.fields
    late.refresh_from_db()
    assert late.deadline == dt.date(2026, 3, 5) and TaskCheckpoint.objects.count() == 0


def test_a_task_on_time_is_not_rescheduled_and_only_by_its_assignee(actors, make_task, late):
    on_time = make_task(deadline=dt.date(2026, 3, 9))
    with pytest.raises(Conflict):
        services.task_reschedule(by=actors.rep_a1, task=on_time, checkpoint=dt.date(2026, 3, 10), reason="x")
    with pytest.raises(PermissionDenied):
        services.task_reschedule(by=actors.lead_a, task=late, checkpoint=dt.date(2026, 3, 10), reason="x")


def test_open_tasks_roll_into_every_next_day_until_done(actors, make_task, clock):
    task = make_task(deadline=dt.date(2026, 3, 5))
    later = make_task(deadline=dt.date(2026, 3, 20))
    make_task(assignee=actors.rep_a2, deadline=dt.date(2026, 3, 5))
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 6), dt.date(2026, 3, 16)):
        assert list(selectors.open_tasks_on(user=actors.rep_a1, day=day)) == [task]
    assert list(selectors.open_tasks_on(user=actors.rep_a1, day=dt.date(2026, 3, 4))) == []
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    services.task_submit(by=actors.rep_a1, task=task)
    assert list(selectors.open_tasks_on(user=actors.rep_a1, day=dt.date(2026, 3, 20))) == [task, later]
    services.task_approve(by=actors.lead_a, task=task)
    assert list(selectors.open_tasks_on(user=actors.rep_a1, day=dt.date(2026, 3, 20))) == [later]


def test_my_tasks_groups_and_the_approval_queue(actors, make_task, clock):
    overdue = make_task(deadline=dt.date(2026, 3, 4))
    today = make_task(deadline=dt.date(2026, 3, 4) + dt.timedelta(days=1))
    clock.set(local(2026, 3, 5, 9))
    later = make_task(deadline=dt.date(2026, 3, 12))
    awaiting = make_task(deadline=dt.date(2026, 3, 12))
    services.proof_add(by=actors.rep_a1, task=awaiting, file=photo())
    services.task_submit(by=actors.rep_a1, task=awaiting)
    mine = selectors.my_tasks(user=actors.rep_a1)
    assert (mine.overdue, mine.today, mine.upcoming, mine.awaiting) == ([overdue], [today], [later], [awaiting])
    assert list(selectors.approval_queue(user=actors.lead_a)) == [awaiting]
    assert list(selectors.approval_queue(user=actors.director)) == [awaiting]
    assert list(selectors.approval_queue(user=actors.rep_a1)) == []
    assert list(selectors.approval_queue(user=actors.lead_b)) == []


def test_progress_is_counted_from_the_data_for_the_assignee_only(actors, make_task, clock):
    task = make_task(target_measure="new_a_customers", target_count=2, deadline=dt.date(2026, 3, 31),
                     target_since=dt.date(2026, 3, 1))
    inside = timezone.make_aware(dt.datetime(2026, 3, 3, 10))
    Customer.objects.create(owner=actors.rep_a1, name="甲", grade="A", graded_at=inside)
    Customer.objects.create(owner=actors.rep_a1, name="乙", grade="B", graded_at=inside)
    Customer.objects.create(owner=actors.rep_a2, name="丙", grade="A", graded_at=inside)
    Customer.objects.create(owner=actors.rep_a1, name="丁", grade="A", graded_at=local(2026, 2, 28, 23))
    found = selectors.progress(task)
    assert found is not None and (found.done, found.target, found.percent, found.reached) == (1, 2, 50, False)
    Customer.objects.create(owner=actors.rep_a1, name="戊", grade="A", graded_at=local(2026, 3, 31, 23, 59))
    found = selectors.progress(task)
    assert found is not None and found.reached


def test_visits_progress_counts_active_visits_by_the_author(actors, make_task, customer, clock):
    task = make_task(target_measure="visits", target_count=5)
    for channel, active in (("visit", True), ("visit", False), ("phone", True)):
        FollowUp.objects.create(customer=customer, author=actors.rep_a1, contacted_at=clock.now, channel=channel,
                                key_points="拜访", is_active=active)
    found = selectors.progress(task)
    assert found is not None and found.done == 1
    assert selectors.is_overdue(task) is False
    assert task.status == TaskStatus.OPEN
