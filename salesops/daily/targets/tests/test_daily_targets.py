"""R4 daily targets: the split adds up exactly (a clear error naming the metric and the difference
otherwise), who sets a team's day, stale saves, a past day corrected with its history kept, the contract's
selectors, and /api/daily-targets/ in the API's shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from salesops.core.errors import Invalid
from salesops.daily.targets import selectors, services
from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.performance import metrics as registry

DAY = dt.date(2026, 11, 26)
URL = "/api/daily-targets/"


def query(team, day=DAY):
    return f"{URL}?team={team.pk}&date={day.isoformat()}"


def split(actors, a1=3, a2=2, team=5):
    return {"team": {"deals": team, "sales_amount": "30000.00"},
            "members": {str(actors.rep_a1.pk): {"deals": a1, "sales_amount": "20000"},
                        str(actors.rep_a2.pk): {"deals": a2, "sales_amount": "10000.00"}}}


def test_the_lead_sets_the_day_and_its_members_read_their_shares(actors, api_as):
    answer = api_as(actors.lead_a).put(query(actors.team_a), split(actors), format="json")
    assert answer.status_code == 200, answer.json()
    body = api_as(actors.rep_a1).get(query(actors.team_a)).json()
    assert body["team"] == {"deals": 5, "sales_amount": "30000.00"}
    assert body["members"][str(actors.rep_a1.pk)] == {"deals": 3, "sales_amount": "20000.00"}
    assert (body["team_id"], body["date"], body["version"]) == (actors.team_a.pk, "2026-11-26", 1)
    found = selectors.day_targets(team_id=actors.team_a.pk, day=DAY)
    assert found.team == {"deals": 5, "sales_amount": Decimal("30000.00")}
    assert found.members[actors.rep_a2.pk] == {"deals": 2, "sales_amount": Decimal("10000.00")}
    assert selectors.day_targets(team_id=actors.team_b.pk, day=DAY) == selectors.DayTargets()


@pytest.mark.parametrize(("a1", "a2", "words"), [
    (3, 1, "4, 1 less than the team's target 5"), (4, 2, "6, 1 more than the team's target 5"),
])
def test_a_split_that_does_not_add_up_names_the_metric_and_the_difference(actors, api_as, a1, a2, words):
    with translation.override("en"), pytest.raises(Invalid) as refused:
        services.day_targets_save(by=actors.lead_a, team=actors.team_a, day=DAY, **_service(split(actors, a1, a2)))
    assert refused.value.fields["members"] == [f"Deals: the members' shares add up to {words}."]
    answer = api_as(actors.lead_a).put(query(actors.team_a), split(actors, a1, a2), format="json")
    assert answer.status_code == 400
    messages = answer.json()["error"]["fields"]["members"]
    assert len(messages) == 1 and str(registry.get("deals").label) in messages[0]
    assert not DayTargetSet.objects.exists() and not DayTarget.objects.exists()


def _service(body):
    return {"team_values": body["team"], "members": body["members"]}


@pytest.mark.parametrize(("change", "field"), [
    (lambda b, a: b["members"].update({str(a.rep_b1.pk): {"deals": 0}}), "members"),  # not of the team
    (lambda b, a: b["team"].update({"deals": -1}), "team"),
    (lambda b, a: b["team"].update({"mood": 3}), "team"),
    (lambda b, a: b["members"][str(a.rep_a1.pk)].update({"deals": "1.5"}), "members"),
    (lambda b, a: b["team"].pop("deals"), "members"),  # shares without a team target
    (lambda b, a: b.update({"members": [1, 2]}), "members"),
])
def test_bad_input_is_a_400_and_changes_nothing(actors, api_as, change, field):
    body = split(actors)
    change(body, actors)
    answer = api_as(actors.lead_a).put(query(actors.team_a), body, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"]
    assert not DayTarget.objects.exists()


@pytest.mark.parametrize(("who", "team", "code"), [
    ("rep_a1", "team_a", 403), ("lead_a", "team_b", 404), ("director", "team_b", 200), ("director", "team_c", 404),
    ("admin", "team_c", 200),
])
def test_who_sets_a_teams_day(actors, api_as, who, team, code):
    chosen = getattr(actors, team)
    members = list(chosen.members.filter(role="rep"))
    body = {"team": {"deals": 2}, "members": {str(members[0].pk): {"deals": 2}}}
    answer = api_as(getattr(actors, who)).put(query(chosen), body, format="json")
    assert answer.status_code == code, answer.json()


def test_a_stale_save_is_a_409_and_a_past_day_keeps_its_history(actors, api_as):
    lead = api_as(actors.lead_a)
    assert lead.put(query(actors.team_a), {**split(actors), "version": 1}, format="json").status_code == 200
    corrected = lead.put(query(actors.team_a), {**split(actors, 4, 1), "version": 1}, format="json")
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    stale = api_as(actors.director).put(query(actors.team_a), {**split(actors, 5, 0), "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    row = DayTarget.objects.get(user=actors.rep_a1, metric="deals")
    assert row.value == 4 and [h.value for h in row.history.order_by("history_date")] == [3, 4]
    dropped = {"team": {"deals": 5}, "members": {str(actors.rep_a1.pk): {"deals": 5}}, "version": 2}
    assert lead.put(query(actors.team_a), dropped, format="json").status_code == 200
    assert DayTarget.objects.filter(user=actors.rep_a2, is_active=False).count() == 2
    assert selectors.day_targets(team_id=actors.team_a.pk, day=DAY).members == {actors.rep_a1.pk: {"deals": 5}}


def test_person_day_targets(actors):
    for day, a1 in ((DAY, 3), (DAY + dt.timedelta(days=1), 4)):
        services.day_targets_save(by=actors.lead_a, team=actors.team_a, day=day,
                                  **_service(split(actors, a1, 5 - a1)))
    found = selectors.person_day_targets(metric="deals", user_ids=[actors.rep_a1.pk, actors.rep_b1.pk],
                                         days=[DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)])
    assert found == {(actors.rep_a1.pk, DAY): 3, (actors.rep_a1.pk, DAY + dt.timedelta(days=1)): 4}


def test_bad_query_words(actors, api_as):
    client = api_as(actors.lead_a)
    assert client.get(f"{URL}?date=2026-02-30").status_code == 400
    assert client.get(f"{URL}?team=abc").status_code == 400
    assert client.get(f"{URL}?team=987654321").status_code == 404
    assert client.get(URL).json()["team_id"] == actors.team_a.pk
    assert api_as(actors.director).get(URL).status_code == 400
