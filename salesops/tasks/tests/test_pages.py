"""Task pages: my tasks in groups, the proof taken from the camera, submit and approve from the pages, the
approval queue with proofs inline, the new-task form limited by R16, and fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.tasks import services
from salesops.tasks.models import Task, TaskStatus
from salesops.tasks.tests.conftest import local, pdf, photo


def test_my_tasks_groups_and_links(actors, client, make_task, clock):
    late = make_task(title="补拍门头照片", deadline=dt.date(2026, 3, 4))
    clock.set(local(2026, 3, 5, 9))
    today = make_task(title="提交周报", deadline=dt.date(2026, 3, 5))
    client.force_login(actors.rep_a1)
    page = client.get(reverse("tasks-mine")).content.decode()
    overdue_part, rest = page.split('data-testid="section-today"')
    assert "补拍门头照片" in overdue_part and "提交周报" in rest
    assert reverse("task-detail", args=[late.pk]) in page and reverse("task-detail", args=[today.pk]) in page


def test_the_proof_comes_from_the_camera_and_the_task_is_submitted(actors, client, make_task):
    task = make_task()
    client.force_login(actors.rep_a1)
    page = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert 'accept="image/*,application/pdf"' in page and 'capture="environment"' in page
    answer = client.post(reverse("task-proof-add", args=[task.pk]), {"file": photo(), "kind": "visit_photo"})
    assert answer.status_code == 302
    assert client.post(reverse("task-submit", args=[task.pk]), {}).status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SUBMITTED


def test_a_refusal_is_shown_on_the_task_and_changes_nothing(actors, client, make_task):
    task = make_task()
    client.force_login(actors.rep_a1)
    answer = client.post(reverse("task-submit", args=[task.pk]), {}, follow=True)
    assert "请先上传至少一份凭证" in answer.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_the_queue_shows_proofs_inline_and_the_lead_approves(actors, client, make_task):
    task = make_task()
    image = services.proof_add(by=actors.rep_a1, task=task, file=photo())
    scan = services.proof_add(by=actors.rep_a1, task=task, file=pdf())
    services.task_submit(by=actors.rep_a1, task=task)
    client.force_login(actors.lead_a)
    page = client.get(reverse("tasks-approvals")).content.decode()
    assert f'<img src="{reverse("task-proof", args=[image.pk])}"' in page
    assert f'href="{reverse("task-proof", args=[scan.pk])}"' in page and ">PDF<" in page
    answer = client.post(reverse("task-approve", args=[task.pk]), {"next": reverse("tasks-approvals")})
    assert answer.status_code == 302 and answer["Location"] == reverse("tasks-approvals")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_reps_have_no_queue(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get(reverse("tasks-approvals")).status_code == 403


def test_the_new_task_form_offers_oneself_and_the_people_one_manages(actors, client, clock):
    client.force_login(actors.lead_a)
    page = client.get(reverse("task-create")).content.decode()
    for person in (actors.lead_a, actors.rep_a1, actors.rep_a2):
        assert f'value="{person.pk}"' in page
    assert f'value="{actors.rep_b1.pk}"' not in page
    answer = client.post(reverse("task-create"), {"title": "拜访", "standard": "照片", "deadline": "2026-03-06",
                                                  "assignee": actors.rep_b1.pk})
    assert answer.status_code == 400 and Task.objects.count() == 0
    answer = client.post(reverse("task-create"), {"title": "拜访", "standard": "照片", "deadline": "2026-03-06",
                                                  "assignee": actors.rep_a2.pk})
    task = Task.objects.get()
    assert answer["Location"] == reverse("task-detail", args=[task.pk]) and task.assignee == actors.rep_a2


@pytest.mark.parametrize("count", [1, 10])
def test_my_tasks_and_the_queue_take_a_fixed_number_of_queries(actors, client, make_task, count):
    for _ in range(count):
        task = make_task()
        services.proof_add(by=actors.rep_a1, task=task, file=photo())
        services.task_submit(by=actors.rep_a1, task=task)
        make_task()
    for user, name in ((actors.rep_a1, "tasks-mine"), (actors.lead_a, "tasks-approvals")):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        assert len(queries) <= 15, [query["sql"] for query in queries]


def test_the_detail_shows_the_timeline(actors, client, make_task):
    task = make_task()
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    services.task_submit(by=actors.rep_a1, task=task)
    services.task_reject(by=actors.lead_a, task=task, comment="照片模糊")
    client.force_login(actors.rep_a1)
    page = client.get(reverse("task-detail", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "照片模糊" in page and "已提交审批" in page and "已分配" in page


def test_the_customer_page_lists_its_tasks_in_scope(actors, client, make_task, customer):
    task = make_task(title="送样品到苏州恒通", customer=customer)
    client.force_login(actors.rep_a1)
    page = client.get(reverse("customer-detail", args=[customer.pk])).content.decode()
    assert "送样品到苏州恒通" in page and reverse("task-detail", args=[task.pk]) in page
