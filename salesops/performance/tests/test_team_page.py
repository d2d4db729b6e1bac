"""The team page (R10, R11, R1, R21): each person's cadence compliance, late logs and longest-overdue
customers, and the team's own figures beside them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from salesops.accounts import services as accounts
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import local
from salesops.organisation.selectors import rule_settings
from salesops.performance.views import OVERDUE_PER_PERSON


def test_team_overdue_groups_per_rep_with_figures(client, actors, due_customers, django_assert_max_num_queries):
    rule_settings()
    client.force_login(actors.lead_a)
    with django_assert_max_num_queries(12):
        response = client.get("/team/overdue/")
    assert response.status_code == 200
    groups = {g["person"].username: g for g in response.context["groups"]}
    assert set(groups) == {"lead_a", "rep_a1", "rep_a2"}
    assert [c.pk for c in groups["rep_a1"]["overdue_customers"]] == [due_customers["overdue"].pk]
    assert [c.pk for c in groups["rep_a2"]["overdue_customers"]] == [due_customers["colleague"].pk]
    # rep_a1: 3 graded customers, 1 overdue → 66.7 %; rep_a2: 1 of 1 overdue → 0 %.
    assert (groups["rep_a1"]["compliance"], groups["rep_a2"]["compliance"]) == (66.7, 0.0)
    chart = response.context["chart"]
    bars = dict(zip(chart["yAxis"]["data"], chart["series"][0]["data"], strict=True))
    assert bars == {actors.lead_a.display_name: None, actors.rep_a1.display_name: 66.7, actors.rep_a2.display_name: 0.0}
    assert b'data-chart="compliance-chart"' in response.content
    overdue = due_customers["overdue"]  # each customer's name leads to its page
    assert f'<a href="/customers/{overdue.pk}/">{overdue.name}</a>'.encode() in response.content


def test_team_overdue_is_for_managers(client, actors, clock):
    client.force_login(actors.rep_a1)
    assert client.get("/team/overdue/").status_code == 403
    client.force_login(actors.director)
    response = client.get("/team/overdue/")
    assert {g["person"].team_id for g in response.context["groups"]} == {actors.team_a.pk, actors.team_b.pk}


def test_team_overdue_shows_each_persons_longest_overdue_and_links_the_rest(client, actors, make_customer, clock):
    """R10: per person the OVERDUE_PER_PERSON longest-overdue customers, oldest first, and a link to all."""
    today = timezone.localdate()
    made = [
        make_customer(owner=actors.rep_a1, name=f"逾期{n}", grade="B", next_due_at=today - dt.timedelta(days=n + 1))
        for n in range(OVERDUE_PER_PERSON + 2)
    ]
    client.force_login(actors.lead_a)
    response = client.get("/team/overdue/")
    group = next(g for g in response.context["groups"] if g["person"] == actors.rep_a1)
    oldest_first = sorted(made, key=lambda c: c.next_due_at)[:OVERDUE_PER_PERSON]
    assert [c.pk for c in group["overdue_customers"]] == [c.pk for c in oldest_first]
    assert group["overdue"] == OVERDUE_PER_PERSON + 2
    assert f"/customers/?owner={actors.rep_a1.pk}&amp;overdue=true".encode() in response.content


def test_team_overdue_for_several_teams_is_one_line_per_person_until_a_team_is_picked(
    client, actors, due_customers
):
    client.force_login(actors.director)
    everyone = client.get("/team/overdue/")
    assert not everyone.context["detailed"] and b'data-testid="people-table"' in everyone.content
    lines = {group["person"]: group["overdue_customers"] for group in everyone.context["groups"]}
    # one line per rep and lead of the director's teams (R1), none with customers listed
    people = (actors.lead_a, actors.rep_a1, actors.rep_a2, actors.lead_b, actors.rep_b1)
    assert lines == {person: [] for person in people}
    picked = client.get(f"/team/overdue/?team={actors.team_a.pk}")
    assert picked.context["detailed"] and picked.context["team"] == actors.team_a
    assert {g["person"].team_id for g in picked.context["groups"]} == {actors.team_a.pk}
    shown = {c.pk for g in picked.context["groups"] for c in g["overdue_customers"]}
    assert shown == {due_customers["overdue"].pk, due_customers["colleague"].pk}
    outside = client.get(f"/team/overdue/?team={actors.team_c.pk}")  # not the director's: all teams again
    assert outside.context["team"] is None
    assert actors.team_c.pk not in {g["person"].team_id for g in outside.context["groups"]}


def test_the_team_tiles_are_the_teams_own_figures(client, actors, due_customers):
    """R21: the tiles count the team's rows: a follow-up written in team A stays team A's when its author
    moves to team B (the people's sum would move it), and each team's customers are those its people own."""

    for author, late in ((actors.rep_a1, False), (actors.lead_a, True), (actors.rep_a2, False)):
        FollowUp.objects.create(customer=due_customers["overdue"], author=author, contacted_at=local(2026, 3, 2),
                                channel="phone", key_points="x", late=late)
    accounts.user_update(user=actors.rep_a2, team=actors.team_b)
    client.force_login(actors.director)
    team_a = client.get(f"/team/overdue/?team={actors.team_a.pk}").context["totals"]
    team_b = client.get(f"/team/overdue/?team={actors.team_b.pk}").context["totals"]
    both = client.get("/team/overdue/").context["totals"]
    assert (team_a["followups"], team_a["late"], team_a["late_share"]) == (3, 1, 33.3)
    assert (team_b["followups"], team_b["late_share"]) == (0, None)
    assert (team_a["customers"], team_a["overdue"], team_b["customers"], team_b["overdue"]) == (3, 1, 1, 1)
    assert (both["followups"], both["customers"], both["overdue"], both["compliance"]) == (3, 4, 2, 50.0)
