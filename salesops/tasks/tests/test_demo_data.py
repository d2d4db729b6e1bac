"""Demo and benchmark tasks: every state with its history and real proof files in the demo; the
generator's volume per rep, its states, proof rows for the handed-in ones, and its wipe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from salesops.accounts.models import Role, User
from salesops.core.files import detect
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.tasks import demo_data
from salesops.tasks.models import Task, TaskCheckpoint, TaskProof, TaskStatus

pytestmark = pytest.mark.django_db


def test_the_sample_files_are_what_they_claim():
    assert detect(demo_data.sample_png()).extension == "png"  # type: ignore[union-attr]
    assert detect(demo_data.sample_pdf()).extension == "pdf"  # type: ignore[union-attr]


def test_demo_tasks_in_every_state_with_history_and_proofs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert load_demo(progress=False)
    reps = User.objects.filter(role=Role.REP)
    for rep in reps:
        mine = Task.objects.filter(assignee=rep)
        assert set(mine.values_list("status", flat=True)) == set(TaskStatus.values)
        assert mine.filter(status=TaskStatus.OPEN, deadline__lt=dt.date.today()).exists()  # overdue
        assert mine.exclude(target_measure="").exists()
        assert TaskCheckpoint.objects.filter(task__assignee=rep).exists()
    assert not Task.objects.filter(assigner=F("assignee")).exists()  # from their lead
    assert Task.history.count() > Task.objects.count()
    proof = TaskProof.objects.filter(task__status=TaskStatus.SUBMITTED).first()
    assert proof is not None and proof.file.name.startswith("proofs/")
    with proof.file.open("rb") as handle:
        assert detect(handle.read()) is not None


@pytest.fixture
def only_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    step = registry.GeneratorStep("tasks", demo_data.generate_tasks, demo_data.wipe_tasks)
    monkeypatch.setattr(registry, "_generator_steps", {"tasks": step})


def test_generator_makes_the_volume_per_rep_and_wipes_it(only_tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scale = SCALES["S"]
    report = generate(scale=scale, seed=3, today=dt.date(2026, 3, 11), progress=False)
    total = scale.reps * demo_data.TASKS_PER_REP
    assert Task.objects.count() == report.rows["tasks.Task"] == total == 20_000
    counts = {status: Task.objects.filter(status=status).count() for status in TaskStatus.values}
    assert counts[TaskStatus.DONE] > total * 0.75 and all(counts.values())
    assert TaskProof.objects.count() == counts[TaskStatus.SUBMITTED] == report.rows["tasks.TaskProof"]
    assert not Task.objects.exclude(assignee_team=F("assignee__team")).exists()
    assert not Task.objects.filter(status=TaskStatus.DONE, decided_by=F("assignee")).exists()  # R20
    assert Task.objects.filter(status=TaskStatus.OPEN, deadline__lt=dt.date(2026, 3, 11)).exists()
    wipe_generated()
    assert not Task.objects.exists() and not TaskProof.objects.exists()
