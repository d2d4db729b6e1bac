"""Pages: my follow-ups due today (R10), the phone follow-up form (R11), the team's overdue list (R10, R1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.organisation.selectors import rule_settings


@pytest.fixture
def due_customers(actors, make_customer, clock):
    today = timezone.localdate()
    rows = {
        "overdue": make_customer(owner=actors.rep_a1, name="逾期客户", next_due_at=today - dt.timedelta(days=2)),
        "today": make_customer(owner=actors.rep_a1, name="今日客户", next_due_at=today),
        "later": make_customer(owner=actors.rep_a1, name="以后客户", next_due_at=today + dt.timedelta(days=3)),
        "colleague": make_customer(owner=actors.rep_a2, name="同事客户", next_due_at=today - dt.timedelta(days=1)),
    }
    return rows


def test_today_lists_my_due_customers_only(client, actors, due_customers):
    client.force_login(actors.rep_a1)
    response = client.get("/today/")
    assert response.status_code == 200
    listed = [c.pk for c in response.context["page"]]
    assert listed == [due_customers["overdue"].pk, due_customers["today"].pk]
    assert [c.cadence_status for c in response.context["page"]] == ["overdue", "due_today"]
    assert f'/customers/{due_customers["today"].pk}/followup/'.encode() in response.content


def test_today_is_a_fixed_number_of_queries(client, actors, make_customer, clock, django_assert_max_num_queries):
    for n in range(30):
        make_customer(owner=actors.rep_a1, name=f"客户{n}", next_due_at=timezone.localdate())
    rule_settings()
    client.force_login(actors.rep_a1)
    with django_assert_max_num_queries(10):
        response = client.get("/today/")
    assert len(response.context["page"]) == 30


def test_form_prefills_now_and_the_cadence_date(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1, grade="B")
    client.force_login(actors.rep_a1)
    response = client.get(f"/customers/{customer.pk}/followup/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["contacted_at"] == timezone.localtime(clock.now)
    assert form.initial["next_followup_at"] == dt.date(2026, 3, 6)  # B: 2 working days after Wednesday 03-04
    assert b'type="datetime-local"' in response.content
    assert b"<script>" not in response.content and b'style="' not in response.content


def test_form_post_logs_and_moves_the_due_date(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1, grade="A")
    client.force_login(actors.rep_a1)
    response = client.post(
        f"/customers/{customer.pk}/followup/",
        {"channel": "visit", "contacted_at": "2026-03-04T15:10", "key_points": "看样品", "next_followup_at": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    followup = FollowUp.objects.get()
    assert (followup.channel, followup.late, followup.author) == ("visit", False, actors.rep_a1)
    assert Customer.objects.get(pk=customer.pk).next_due_at == dt.date(2026, 3, 5)


def test_form_errors_keep_the_input_and_create_nothing(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    response = client.post(
        f"/customers/{customer.pk}/followup/",
        {"channel": "phone", "contacted_at": "2026-03-05T09:00", "key_points": "明天的事"},
    )
    assert response.status_code == 400
    assert "contacted_at" in response.context["form"].errors
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("who", ["rep_a2", "rep_b1", "lead_b"])
def test_form_for_someone_elses_customer_is_404(client, actors, make_customer, clock, who):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(getattr(actors, who))
    assert client.get(f"/customers/{customer.pk}/followup/").status_code == 404
    body = {"channel": "phone", "contacted_at": "2026-03-04T15:00", "key_points": "x"}
    response = client.post(f"/customers/{customer.pk}/followup/", body)
    assert response.status_code == 404
    assert FollowUp.objects.count() == 0


def test_team_overdue_groups_per_rep_with_figures(client, actors, due_customers, django_assert_max_num_queries):
    rule_settings()
    client.force_login(actors.lead_a)
    with django_assert_max_num_queries(12):
        response = client.get("/team/overdue/")
    assert response.status_code == 200
    groups = {g["figures"].user.username: g for g in response.context["groups"]}
    assert set(groups) == {"lead_a", "rep_a1", "rep_a2"}
    assert [c.pk for c in groups["rep_a1"]["customers"]] == [due_customers["overdue"].pk]
    assert [c.pk for c in groups["rep_a2"]["customers"]] == [due_customers["colleague"].pk]
    # rep_a1: 3 graded customers, 1 overdue → 66.7 %; rep_a2: 1 of 1 overdue → 0 %.
    assert (groups["rep_a1"]["compliance"], groups["rep_a2"]["compliance"]) == (66.7, 0.0)
    chart = response.context["chart"]
    bars = dict(zip(chart["yAxis"]["data"], chart["series"][0]["data"], strict=True))
    assert bars == {actors.lead_a.display_name: None, actors.rep_a1.display_name: 66.7, actors.rep_a2.display_name: 0.0}
    assert b'data-chart="compliance-chart"' in response.content


def test_team_overdue_is_for_managers(client, actors, clock):
    client.force_login(actors.rep_a1)
    assert client.get("/team/overdue/").status_code == 403
    client.force_login(actors.director)
    response = client.get("/team/overdue/")
    assert {g["figures"].user.team_id for g in response.context["groups"]} == {actors.team_a.pk, actors.team_b.pk}


def test_team_overdue_shows_each_persons_longest_overdue_and_links_the_rest(client, actors, make_customer, clock):
    """R10: per person the OVERDUE_PER_PERSON longest-overdue customers, oldest first, and a link to all."""
    from salesops.followups.views import OVERDUE_PER_PERSON

    today = timezone.localdate()
    made = [
        make_customer(owner=actors.rep_a1, name=f"逾期{n}", grade="B", next_due_at=today - dt.timedelta(days=n + 1))
        for n in range(OVERDUE_PER_PERSON + 2)
    ]
    client.force_login(actors.lead_a)
    response = client.get("/team/overdue/")
    group = next(g for g in response.context["groups"] if g["figures"].user == actors.rep_a1)
    oldest_first = sorted(made, key=lambda c: c.next_due_at)[:OVERDUE_PER_PERSON]
    assert [c.pk for c in group["customers"]] == [c.pk for c in oldest_first]
    assert group["figures"].overdue == OVERDUE_PER_PERSON + 2
    assert f"/customers/?owner={actors.rep_a1.pk}&amp;overdue=true".encode() in response.content


def test_team_overdue_for_several_teams_is_one_line_per_person_until_a_team_is_picked(
    client, actors, due_customers
):
    client.force_login(actors.director)
    everyone = client.get("/team/overdue/")
    assert not everyone.context["detailed"] and b'data-testid="people-table"' in everyone.content
    lines = {group["figures"].user: group["customers"] for group in everyone.context["groups"]}
    # one line per rep and lead of the director's teams (R1), none with customers listed
    people = (actors.lead_a, actors.rep_a1, actors.rep_a2, actors.lead_b, actors.rep_b1)
    assert lines == {person: [] for person in people}
    picked = client.get(f"/team/overdue/?team={actors.team_a.pk}")
    assert picked.context["detailed"] and picked.context["team"] == actors.team_a
    assert {g["figures"].user.team_id for g in picked.context["groups"]} == {actors.team_a.pk}
    shown = {c.pk for g in picked.context["groups"] for c in g["customers"]}
    assert shown == {due_customers["overdue"].pk, due_customers["colleague"].pk}
    outside = client.get(f"/team/overdue/?team={actors.team_c.pk}")  # not the director's: all teams again
    assert outside.context["team"] is None
    assert actors.team_c.pk not in {g["figures"].user.team_id for g in outside.context["groups"]}
