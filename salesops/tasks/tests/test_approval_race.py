"""R20 "two approvals at once → one decision, the other 409", for real: two threads on their own database
connections, released together; the task's row lock lets one decide."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.customers.tests.test_pool_race import race
from salesops.tasks import services
from salesops.tasks.models import Task, TaskStatus
from salesops.tasks.tests.conftest import photo

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]


@pytest.fixture
def awaiting(actors) -> Task:
    task = services.task_create(by=actors.director, assignee=actors.rep_a1, title="拜访苏州恒通",
                                standard="拜访照片", deadline=timezone.localdate() + dt.timedelta(days=2))
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    return services.task_submit(by=actors.rep_a1, task=task)


def test_two_approvals_at_once_make_one_decision(actors, awaiting):
    outcomes = race(
        lambda: services.task_approve(by=actors.director, task=awaiting),
        lambda: services.task_approve(by=actors.lead_a, task=awaiting),
    )
    assert sorted(outcomes) == ["ok", "task_state"]
    task = Task.objects.get(pk=awaiting.pk)
    assert task.status == TaskStatus.DONE
    assert task.decided_by == (actors.director if outcomes[0] == "ok" else actors.lead_a)
    assert task.history.filter(history_change_reason="Approved").count() == 1


def test_an_approval_and_a_rejection_at_once_make_one_decision(actors, awaiting):
    outcomes = race(
        lambda: services.task_approve(by=actors.director, task=awaiting),
        lambda: services.task_reject(by=actors.lead_a, task=awaiting, comment="照片不清楚"),
    )
    assert sorted(outcomes) == ["ok", "task_state"]
    expected = TaskStatus.DONE if outcomes[0] == "ok" else TaskStatus.REJECTED
    assert Task.objects.get(pk=awaiting.pk).status == expected
