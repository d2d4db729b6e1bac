"""The tasks_overdue job (R20): a late task is flagged to its assignee and assigner once per day, as the
alert rule ``task_overdue``; tasks on time, awaiting approval or done are left alone; a second run of the
same day tells nobody again; the next day tells them again."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.tasks import services
from salesops.tasks.models import Task
from salesops.tasks.tests.conftest import photo


def test_late_tasks_are_flagged_once_per_day(actors, make_task, django_capture_on_commit_callbacks):
    late = make_task(title="补拍门头照片", deadline=dt.date(2026, 3, 5))
    own = make_task(by=actors.rep_a2, assignee=actors.rep_a2, deadline=dt.date(2026, 3, 5))
    make_task(deadline=dt.date(2026, 3, 9))  # not late on the 9th
    handed_in = make_task(deadline=dt.date(2026, 3, 5))
    services.proof_add(by=actors.rep_a1, task=handed_in, file=photo())
    services.task_submit(by=actors.rep_a1, task=handed_in)
    job = registry.get("tasks_overdue")
    with django_capture_on_commit_callbacks(execute=True):
        assert job.function(dt.date(2026, 3, 9)) == {"flagged": 2, "told": 3}
    notes = Notification.objects.filter(kind=services.OVERDUE_ALERT)
    assert sorted((n.user.username, n.url) for n in notes.all()) == sorted([
        ("rep_a1", f"/tasks/{late.pk}/"), ("lead_a", f"/tasks/{late.pk}/"), ("rep_a2", f"/tasks/{own.pk}/")])
    assert "补拍门头照片" in notes.get(user=actors.rep_a1).title
    with django_capture_on_commit_callbacks(execute=True):
        assert job.function(dt.date(2026, 3, 9)) == {"flagged": 0, "told": 0}
    assert notes.count() == 3
    assert Task.objects.get(pk=late.pk).overdue_flagged_on == dt.date(2026, 3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert job.function(dt.date(2026, 3, 10)) == {"flagged": 3, "told": 5}  # the task due on the 9th too
    assert notes.count() == 8


def test_run_job_names_it(actors, capsys):
    call_command("run-job", "--list")
    assert "tasks_overdue" in capsys.readouterr().out
