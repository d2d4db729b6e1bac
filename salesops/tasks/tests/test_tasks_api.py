"""/api/tasks/ (API.md): create (R16), filters, edits with a version, the closing verbs (R20) and their
errors in the API's shape, proof files served through the task's scope, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.organisation.models import RuleSettings
from salesops.tasks import services
from salesops.tasks.models import Task, TaskProof, TaskStatus
from salesops.tasks.tests.conftest import JPEG, PNG, local, photo


def body(rep_a1, **fields):
    return {"title": "拜访苏州恒通", "standard": "拜访照片", "deadline": "2026-03-06", "assignee": rep_a1.pk, **fields}


def test_create_and_read_back(actors, api_as, clock, customer):
    answer = api_as(actors.lead_a).post("/api/tasks/", body(actors.rep_a1, customer=customer.pk,
                                                            target_measure="visits", target_count=3), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert (data["assignee"], data["assigner"], data["status"], data["kind"]) == (
        actors.rep_a1.pk, actors.lead_a.pk, "open", "general")
    assert data["progress"] == {"done": 0, "target": 3, "percent": 0}
    assert data["customer_name"] == customer.name and data["version"] == 1
    assert api_as(actors.rep_a1).get(f"/api/tasks/{data['id']}/").status_code == 200
    assert api_as(actors.rep_a2).get(f"/api/tasks/{data['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"deadline": "2026-02-30"}, "deadline"), ({"title": ""}, "title"), ({"kind": "party"}, "kind"),
     ({"target_measure": "visits", "target_count": 0}, "target_count"), ({"owner": 1}, "owner"),
     ({"deadline": "2026-03-01"}, "deadline")],
)
def test_bad_input_is_400_in_the_users_language_and_nothing_is_created(actors, api_as, clock, fields, field):
    answer = api_as(actors.lead_a).post("/api/tasks/", body(actors.rep_a1, **fields), format="json",
                                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert Task.objects.count() == 0


def test_assigning_outside_the_rule(actors, api_as, clock):
    assert api_as(actors.rep_a1).post("/api/tasks/", body(actors.rep_a2), format="json").status_code == 403
    assert api_as(actors.lead_a).post("/api/tasks/", body(actors.rep_b1), format="json").status_code == 404


def test_filters(actors, api_as, make_task, clock, customer):
    late = make_task(deadline=dt.date(2026, 3, 4), customer=customer)
    make_task(assignee=actors.rep_a2, deadline=dt.date(2026, 3, 10))
    clock.set(local(2026, 3, 6, 9))
    client = api_as(actors.lead_a)

    def ids(**query):
        answer = client.get("/api/tasks/", query)
        assert answer.status_code == 200, answer.json()
        return [row["id"] for row in answer.json()["results"]]

    assert ids(overdue="true") == [late.pk]
    assert ids(assignee=actors.rep_a1.pk) == [late.pk]
    assert ids(customer=customer.pk) == [late.pk]
    assert ids(due_after="2026-03-05") == ids(overdue="false") != [late.pk]
    assert ids(status="done") == []
    assert client.get("/api/tasks/", {"overdue": "maybe"}).status_code == 400
    assert client.get("/api/tasks/", {"status": "closed"}).status_code == 400
    row = client.get("/api/tasks/", {"overdue": "true"}).json()["results"][0]
    assert row["overdue"] is True


def test_an_edit_sends_the_version_it_read(actors, api_as, make_task):
    task = make_task()
    client = api_as(actors.lead_a)
    assert client.patch(f"/api/tasks/{task.pk}/", {"title": "新"}, format="json").status_code == 400
    assert client.patch(f"/api/tasks/{task.pk}/", {"title": "新", "version": 1}, format="json").status_code == 200
    stale = client.patch(f"/api/tasks/{task.pk}/", {"title": "再改", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    assert Task.objects.get(pk=task.pk).title == "新"
    assert api_as(actors.rep_a1).patch(f"/api/tasks/{task.pk}/", {"title": "x", "version": 2},
                                      format="json").status_code == 403


def test_the_journey_through_the_api(actors, api_as, make_task):
    task = make_task()
    rep, lead = api_as(actors.rep_a1), api_as(actors.lead_a)
    assert rep.post(f"/api/tasks/{task.pk}/submit/", {}, format="json").status_code == 400
    upload = rep.post(f"/api/tasks/{task.pk}/proofs/", {"file": photo(), "kind": "visit_photo"}, format="multipart")
    assert upload.status_code == 201, upload.json()
    proof_url = upload.json()["url"]
    assert proof_url == reverse("task-proof", args=[upload.json()["id"]])
    assert rep.post(f"/api/tasks/{task.pk}/submit/", {}, format="json").json()["status"] == "submitted"
    assert rep.post(f"/api/tasks/{task.pk}/approve/", {}, format="json").status_code == 403
    assert lead.post(f"/api/tasks/{task.pk}/reject/", {"comment": ""}, format="json").status_code == 400
    done = lead.post(f"/api/tasks/{task.pk}/approve/", {"comment": "好"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = lead.post(f"/api/tasks/{task.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "task_state"


def test_wrong_type_is_415_too_large_is_413(actors, api_as, make_task):
    RuleSettings.objects.update_or_create(pk=1, defaults={"proof_max_mb": 1})
    task = make_task()
    rep = api_as(actors.rep_a1)
    svg = SimpleUploadedFile("p.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg+xml")
    assert rep.post(f"/api/tasks/{task.pk}/proofs/", {"file": svg}, format="multipart").status_code == 415
    big = SimpleUploadedFile("p.jpg", JPEG + b"\x00" * (1024 * 1024), content_type="image/jpeg")
    answer = rep.post(f"/api/tasks/{task.pk}/proofs/", {"file": big}, format="multipart")
    assert answer.status_code == 413 and "file" in answer.json()["error"]["fields"]
    assert TaskProof.objects.count() == 0


def test_reschedule_through_the_api(actors, api_as, make_task, clock):
    task = make_task(deadline=dt.date(2026, 3, 5))
    clock.set(local(2026, 3, 9, 9))
    rep = api_as(actors.rep_a1)
    assert rep.post(f"/api/tasks/{task.pk}/reschedule/", {"checkpoint": "2026-03-08", "reason": "x"},
                    format="json").status_code == 400
    answer = rep.post(f"/api/tasks/{task.pk}/reschedule/", {"checkpoint": "2026-03-10", "reason": "客户出差"},
                      format="json")
    assert answer.status_code == 200 and answer.json()["deadline"] == "2026-03-10"


def test_a_proof_file_is_served_to_those_who_see_the_task_only(actors, client, make_task):
    task = make_task()
    proof = services.proof_add(by=actors.rep_a1, task=task, file=SimpleUploadedFile("a.html", PNG))
    client.force_login(actors.lead_a)
    answer = client.get(reverse("task-proof", args=[proof.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png" and answer["X-Content-Type-Options"] == "nosniff"
    client.force_login(actors.rep_a2)
    assert client.get(reverse("task-proof", args=[proof.pk])).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_takes_a_fixed_number_of_queries(actors, api_as, make_task, count):
    for _ in range(count):
        task = make_task()
        services.proof_add(by=actors.rep_a1, task=task, file=photo())
    client = api_as(actors.lead_a)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/tasks/")
    assert answer.status_code == 200 and answer.json()["count"] == count
    assert len(queries) <= 8
    assert all(row["proofs"] for row in answer.json()["results"])
    assert TaskStatus.OPEN in {row["status"] for row in answer.json()["results"]}
