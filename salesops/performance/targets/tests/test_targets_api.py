"""/api/targets/ (API.md, R22, R1 "manages"): who sets whose targets, the periods and metrics a target
takes, bad input refused in the API's shape with nothing changed, stale edits (409), nothing deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesops.performance.engine import Subject
from salesops.performance.periods import Period
from salesops.performance.targets import selectors, services
from salesops.performance.targets.models import Target

MONTH = "2026-11"


def body(scope: str, metric: str = "sales_amount", value: object = "500000", period: str = MONTH) -> dict:
    return {"scope": scope, "period": period, "metric": metric, "value": value}


def test_a_lead_sets_a_members_target_and_reads_it_back(actors, api_as):
    answer = api_as(actors.lead_a).post("/api/targets/", body(f"user:{actors.rep_a1.pk}"), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert (data["scope"], data["period"], data["metric"], data["value"], data["version"]) == (
        f"user:{actors.rep_a1.pk}", MONTH, "sales_amount", "500000.00", 1)
    again = api_as(actors.lead_a).post("/api/targets/", {**body(f"user:{actors.rep_a1.pk}", value=600000),
                                                          "version": 1}, format="json")
    assert again.status_code == 200 and again.json()["value"] == "600000.00" and again.json()["version"] == 2
    mine = api_as(actors.rep_a1).get("/api/targets/", {"period": MONTH}).json()
    assert [row["value"] for row in mine["results"]] == ["600000.00"]
    assert Target.history.filter(id=data["id"]).count() == 2


@pytest.mark.parametrize(("who", "scope", "code"), [
    ("lead_a", "team:{team_a}", 201), ("director", "team:{team_b}", 201), ("admin", "org", 201),
    ("admin", "team:{team_c}", 201), ("director", "user:{lead_a}", 201),
    ("rep_a1", "team:{team_a}", 403),  # a rep sees the team but sets nothing of it
    ("lead_a", "user:{lead_a}", 403),  # nobody sets their own
    ("lead_a", "org", 403),
    ("lead_a", "team:{team_b}", 404), ("lead_a", "user:{rep_b1}", 404),  # outside the scope
    ("director", "team:{team_c}", 404),
])
def test_who_sets_whose_targets(actors, api_as, who, scope, code):
    names = {name: getattr(actors, name).pk for name in ("team_a", "team_b", "team_c", "lead_a", "rep_b1")}
    answer = api_as(getattr(actors, who)).post("/api/targets/", body(scope.format(**names)), format="json")
    assert answer.status_code == code, answer.json()
    if code != 201:
        assert set(answer.json()["error"]) >= {"code", "message"}
        assert not Target.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"value": "-1"}, "value"), ({"value": -5}, "value"), ({"value": "lots"}, "value"),
    ({"metric": "happiness"}, "metric"), ({"period": "2026-13"}, "period"), ({"period": "2026-W54"}, "period"),
    ({"period": "2026-Q5"}, "period"), ({"period": "2026-11-26"}, "period"), ({"scope": "team:x"}, "scope"),
    ({"metric": "deals", "value": "2.5"}, "value"), ({"metric": "conversion_rate", "value": "30"}, "value"),
    ({"owner": 3}, "owner"),
])
def test_bad_input_is_a_clear_400_and_changes_nothing(actors, api_as, fields, field):
    answer = api_as(actors.lead_a).post("/api/targets/", {**body(f"team:{actors.team_a.pk}"), **fields},
                                        format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"]
    assert not Target.objects.exists()


def test_a_stale_edit_is_a_409_and_changes_nothing(actors, api_as):
    target, _ = services.target_set(by=actors.lead_a, subject=Subject.team(actors.team_a.pk),
                                    period=Period.parse(MONTH), metric="deals", value=20)
    first = api_as(actors.lead_a).patch(f"/api/targets/{target.pk}/", {"value": 25, "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["value"] == 25
    second = api_as(actors.director).patch(f"/api/targets/{target.pk}/", {"value": 30, "version": 1}, format="json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "stale"
    target.refresh_from_db()
    assert target.value == 25


def test_clearing_keeps_the_row_and_its_history(actors, api_as):
    target, _ = services.target_set(by=actors.lead_a, subject=Subject.person(actors.rep_a1.pk),
                                    period=Period.parse("2026-W48"), metric="visits" if "visits" in
                                    selectors.registry.names() else "deals", value=10)
    assert api_as(actors.rep_a1).delete(f"/api/targets/{target.pk}/").status_code == 403
    assert api_as(actors.lead_a).delete(f"/api/targets/{target.pk}/").status_code == 204
    assert Target.objects.filter(pk=target.pk, is_active=False).exists()
    assert api_as(actors.lead_a).get(f"/api/targets/{target.pk}/").status_code == 404
    assert selectors.people_targets(user_ids=[actors.rep_a1.pk], period=Period.parse("2026-W48")) == {
        actors.rep_a1.pk: {}}


def test_filters_and_their_bad_words(actors, api_as):
    for period in (MONTH, "2026-Q4"):
        services.target_set(by=actors.admin, subject=Subject.team(actors.team_a.pk), period=Period.parse(period),
                            metric="deals", value=10)
    client = api_as(actors.lead_a)
    rows = client.get("/api/targets/", {"scope": f"team:{actors.team_a.pk}", "period": "2026-Q4"}).json()
    assert [row["period"] for row in rows["results"]] == ["2026-Q4"]
    assert client.get("/api/targets/", {"period_kind": "month"}).json()["count"] == 1
    for bad in ({"period": "2026-13"}, {"scope": "everyone"}, {"metric": "mood"}):
        answer = client.get("/api/targets/", bad)
        assert answer.status_code == 400 and set(answer.json()["error"]["fields"]) == set(bad)
    assert api_as(actors.lead_b).get("/api/targets/").json()["count"] == 0


def test_selectors_of_the_contract(actors):
    month = Period.parse(MONTH)
    for user, value in ((actors.rep_a1, 300000), (actors.rep_a2, 200000)):
        services.target_set(by=actors.lead_a, subject=Subject.person(user.pk), period=month,
                            metric="sales_amount", value=value)
        services.target_set(by=actors.lead_a, subject=Subject.person(user.pk), period=month, metric="deals", value=3)
    services.target_set(by=actors.lead_a, subject=Subject.team(actors.team_a.pk), period=month,
                        metric="sales_amount", value=500000)
    services.target_set(by=actors.director, subject=Subject.team(actors.team_b.pk), period=month,
                        metric="sales_amount", value="100000.50")
    assert selectors.target_values(subject=Subject.team(actors.team_a.pk), period=month) == {
        "sales_amount": Decimal("500000.00")}
    assert selectors.target_values(subject=Subject.teams([actors.team_a.pk, actors.team_b.pk]), period=month) == {
        "sales_amount": Decimal("600000.50")}
    found = selectors.people_targets(user_ids=[actors.rep_a1.pk, actors.rep_b1.pk], period=month)
    assert found == {actors.rep_a1.pk: {"sales_amount": Decimal("300000.00"), "deals": 3}, actors.rep_b1.pk: {}}
    assert isinstance(found[actors.rep_a1.pk]["deals"], int)
    assert selectors.target_values(subject=Subject.org(), period=month) == {}
