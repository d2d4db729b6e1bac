"""The jobs API (admin only): the schedule with recent runs, and running a job for a date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from salesops.jobs.models import JobRun

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 2, 14, 10, 0, tzinfo=SHANGHAI)  # a make-up working Saturday
TODAY = dt.date(2026, 2, 14)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))


@pytest.fixture
def admin_api(actors, api_as):
    return api_as(actors.admin)


NON_ADMINS = ["director", "lead_a", "rep_a1", "lead_c", "rep_c1"]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_see_or_run_jobs(actors, api_as, add_job, frozen, who):
    job = add_job("alpha", workdays_only=False)
    client = api_as(getattr(actors, who))

    listed = client.get("/api/jobs/")
    ran = client.post("/api/jobs/alpha/run/", {}, format="json")
    unknown = client.post("/api/jobs/nope/run/", {}, format="json")

    assert (listed.status_code, ran.status_code, unknown.status_code) == (403, 403, 403)
    assert ran.json()["error"]["code"] == "permission_denied"
    assert job.calls == []
    assert JobRun.objects.count() == 0


def test_anonymous_gets_401(api_as, org, add_job):
    add_job("alpha", workdays_only=False)
    assert api_as(None).get("/api/jobs/").status_code == 401
    assert api_as(None).post("/api/jobs/alpha/run/", {}, format="json").status_code == 401
    assert JobRun.objects.count() == 0


def test_list_shows_schedule_and_latest_runs(admin_api, add_job):
    add_job("brief", at=dt.time(8, 20))
    add_job("early", at=dt.time(3, 0), workdays_only=False)
    for days_ago in range(7):
        JobRun.objects.create(name="brief", date=TODAY - dt.timedelta(days=days_ago), status=JobRun.Status.DONE)

    response = admin_api.get("/api/jobs/")

    assert response.status_code == 200
    body = response.json()
    assert [(job["name"], job["at"], job["time_zone"], job["workdays_only"], job["description"]) for job in body] == [
        ("early", "03:00", "Asia/Shanghai", False, "Test job early."),
        ("brief", "08:20", "Asia/Shanghai", True, "Test job brief."),
    ]
    assert body[0]["last_runs"] == []
    assert [run["date"] for run in body[1]["last_runs"]] == [
        (TODAY - dt.timedelta(days=n)).isoformat() for n in range(5)
    ]
    assert set(body[1]["last_runs"][0]) == {
        "id", "name", "date", "status", "queued_at", "started_at", "finished_at", "attempts", "result", "error",
    }


def test_list_includes_the_builtin_housekeeping_job(actors, api_as):
    body = api_as(actors.admin).get("/api/jobs/").json()
    housekeeping = next(job for job in body if job["name"] == "housekeeping")
    assert (housekeeping["at"], housekeeping["workdays_only"]) == ("03:00", False)


def test_run_today_by_default_then_once_then_force(admin_api, add_job, frozen):
    job = add_job("alpha", workdays_only=False)

    first = admin_api.post("/api/jobs/alpha/run/", {}, format="json")
    assert first.status_code == 200
    body = first.json()
    assert (body["name"], body["date"], body["status"], body["ran"], body["attempts"]) == (
        "alpha", "2026-02-14", "done", True, 1,
    )
    assert body["result"] == {"day": "2026-02-14", "count": 1}
    assert body["error"] == ""

    again = admin_api.post("/api/jobs/alpha/run/", {"date": "2026-02-14"}, format="json").json()
    assert (again["ran"], again["attempts"], again["id"]) == (False, 1, body["id"])

    forced = admin_api.post("/api/jobs/alpha/run/", {"date": "2026-02-14", "force": True}, format="json").json()
    assert (forced["ran"], forced["attempts"], forced["status"]) == (True, 2, "done")
    assert job.calls == [TODAY, TODAY]


def test_run_for_a_past_date(admin_api, add_job, frozen):
    job = add_job("alpha", workdays_only=False)
    response = admin_api.post("/api/jobs/alpha/run/", {"date": "2026-02-01"}, format="json")
    assert (response.status_code, response.json()["date"]) == (200, "2026-02-01")
    assert job.calls == [dt.date(2026, 2, 1)]


def test_a_failing_job_answers_with_the_failed_run(admin_api, add_job, frozen):
    add_job("alpha", workdays_only=False, fail=True)
    response = admin_api.post("/api/jobs/alpha/run/", {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["ran"], body["error"]) == ("failed", True, "RuntimeError: alpha broke on 2026-02-14")


def test_unknown_job_is_404(admin_api, add_job, frozen):
    add_job("alpha", workdays_only=False)
    response = admin_api.post("/api/jobs/nope/run/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert JobRun.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": "2026-02-30"}, "date"),
        ({"date": "14/02/2026"}, "date"),
        ({"date": 20260214}, "date"),
        ({"date": "20260214"}, "date"),
        ({"date": None}, "date"),
        ({"force": "maybe"}, "force"),
        ({"force": "true"}, "force"),
        ({"force": 1}, "force"),
        ({"date": "2026-02-15"}, "date"),  # the future
        ({"date": "2025-08-01"}, "date"),  # older than the run records
        ({"date": "2026-02-16", "name": "plan"}, "date"),  # a holiday, for a working-days job
    ],
)
def test_bad_input_is_400_and_changes_nothing(admin_api, add_job, frozen, payload, field):
    job = add_job("alpha", workdays_only=False)
    plan = add_job("plan", workdays_only=True)
    name = payload.pop("name", "alpha")
    response = admin_api.post(f"/api/jobs/{name}/run/", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert (job.calls, plan.calls) == ([], [])
    assert JobRun.objects.count() == 0


def test_a_body_that_is_not_an_object_is_400(admin_api, add_job, frozen):
    add_job("alpha", workdays_only=False)
    response = admin_api.post("/api/jobs/alpha/run/", ["2026-02-14"], format="json")
    assert response.status_code == 400
    assert JobRun.objects.count() == 0


def test_a_body_that_is_not_json_is_415(admin_api, add_job, frozen):
    add_job("alpha", workdays_only=False)
    response = admin_api.post("/api/jobs/alpha/run/", {"date": "2026-02-14"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert JobRun.objects.count() == 0


def test_schema_documents_both_operations(admin_api):
    schema = admin_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert set(schema["paths"]["/api/jobs/"]) == {"get"}
    run = schema["paths"]["/api/jobs/{name}/run/"]["post"]
    assert run["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobRunOutcome"
    }
    assert set(schema["components"]["schemas"]["RunJobRequest"]["properties"]) == {"date", "force"}
    assert set(run["requestBody"]["content"]) == {"application/json"}
    assert set(run["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "415"}


def test_admin_pages_show_runs_read_only(client, actors):
    run = JobRun.objects.create(name="housekeeping", date=TODAY, status=JobRun.Status.DONE, result={"sessions": 2})
    actors.admin.is_staff = True
    actors.admin.save()
    client.force_login(actors.admin)
    listing = client.get("/admin/jobs/jobrun/")
    assert listing.status_code == 200
    assert "housekeeping" in listing.content.decode()
    assert client.get(f"/admin/jobs/jobrun/{run.pk}/change/").status_code == 200  # shown, not editable
    assert client.get("/admin/jobs/jobrun/add/").status_code == 403
    assert client.post(f"/admin/jobs/jobrun/{run.pk}/change/", {"status": "failed"}).status_code == 403
    assert client.get(f"/admin/jobs/jobrun/{run.pk}/delete/").status_code == 403
    run.refresh_from_db()
    assert run.status == JobRun.Status.DONE
