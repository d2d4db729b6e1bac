"""/api/briefs/ (API.md, R3) and the morning_brief job: scope (R1), bad input, the stored brief per team
and day (idempotent), generating again on the lead's demand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.daily.brief.jobs import morning_brief
from salesops.daily.brief.models import Brief
from salesops.followups.services import followup_create
from salesops.jobs import registry
from salesops.organisation.selectors import rule_settings
from salesops.testing.actors import Actors

MONDAY = dt.date(2026, 11, 23)
FRIDAY = dt.date(2026, 11, 20)
URL = "/api/briefs/"


@pytest.mark.django_db
def test_the_brief_has_the_shape_of_api_md(actors: Actors, api_as) -> None:
    answer = api_as(actors.lead_a).get(URL, {"team": actors.team_a.pk, "date": MONDAY.isoformat()})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert {"team", "date", "yesterday", "praised", "missed", "key_customers", "problems", "success_cases",
            "today", "tasks", "lag_alerts", "generated_at"} <= set(body)
    assert {"team", "members"} <= set(body["yesterday"]) and {"team", "members"} <= set(body["today"])
    member = body["yesterday"]["members"][0]
    assert {"user", "metrics", "targets", "met"} <= set(member)
    assert body["generated_at"] is None  # worked out now: reading stores nothing
    assert not Brief.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "team", "status"), [
    ("lead_a", "team_a", 200), ("rep_a1", "team_a", 200), ("director", "team_b", 200), ("admin", "team_c", 200),
    ("lead_a", "team_b", 404), ("rep_a1", "team_b", 404), ("director", "team_c", 404),
])
def test_a_team_outside_the_callers_scope_is_not_found(actors: Actors, api_as, who: str, team: str,
                                                       status: int) -> None:
    answer = api_as(getattr(actors, who)).get(URL, {"team": getattr(actors, team).pk, "date": MONDAY.isoformat()})
    assert answer.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "field"), [
    ({"date": "2026-11-31"}, "date"), ({"date": "yesterday"}, "date"), ({"date": "2026-11-22"}, "date"),
    ({"date": "2999-01-04"}, "date"),
])
def test_bad_dates_are_a_clear_400(actors: Actors, api_as, params: dict[str, str], field: str) -> None:
    answer = api_as(actors.lead_a).get(URL, {"team": actors.team_a.pk, **params})
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_missing_or_malformed_team_is_not_found(actors: Actors, api_as) -> None:
    assert api_as(actors.lead_a).get(URL).status_code == 404
    assert api_as(actors.lead_a).get(URL, {"team": "x1"}).status_code == 404
    assert api_as(None).get(URL, {"team": actors.team_a.pk}).status_code == 401


@pytest.mark.django_db
def test_the_job_stores_every_teams_brief_once_per_day(actors: Actors) -> None:
    job = registry.get("morning_brief")
    assert job.workdays_only and job.time() == rule_settings().brief_ready_at

    assert morning_brief(MONDAY) == {"teams": 3}
    first = {row.team_id: row.generated_at for row in Brief.objects.all()}
    assert morning_brief(MONDAY) == {"teams": 3}

    assert Brief.objects.filter(date=MONDAY).count() == 3
    assert set(first) == {actors.team_a.pk, actors.team_b.pk, actors.team_c.pk}


@pytest.mark.django_db
def test_the_stored_brief_is_read_until_the_lead_generates_it_again(actors: Actors, api_as) -> None:
    """R3: the meeting shows what was ready at the brief time; the lead's "generate again" takes in what
    came since (here a follow-up logged late for Friday)."""
    a = actors
    morning_brief(MONDAY)
    shop = Customer.objects.create(name="迟到的拜访有限公司", name_key="迟到的拜访有限公司", owner=a.rep_a1, grade="A")
    followup_create(by=a.rep_a1, customer=shop, contacted_at=timezone.make_aware(dt.datetime(2026, 11, 20, 16)),
                    channel="visit", key_points="补录")
    query = {"team": a.team_a.pk, "date": MONDAY.isoformat()}
    stored = api_as(a.lead_a).get(URL, query).json()
    assert stored["generated_at"] is not None
    assert stored["yesterday"]["team"]["visits"] == 0

    assert api_as(a.rep_a1).post(f"{URL}generate/", query, format="json").status_code == 403
    again = api_as(a.lead_a).post(f"{URL}generate/", query, format="json")

    assert again.status_code == 200
    assert again.json()["yesterday"]["team"]["visits"] == 1
    assert api_as(a.lead_a).get(URL, query).json()["yesterday"]["team"]["visits"] == 1
    assert Brief.objects.get(team=a.team_a, date=MONDAY).generated_by == a.lead_a
    assert api_as(a.lead_b).post(f"{URL}generate/", query, format="json").status_code == 404
