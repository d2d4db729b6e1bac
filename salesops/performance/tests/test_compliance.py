"""Cadence compliance (R10) and late-logging share (R11) from the engine: each level computed over its own
rows (R21), figures against hand counts, and who may ask for whose figures (R1) on
/api/followups/compliance/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.accounts import services as accounts
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import local
from salesops.performance.api import METRICS
from salesops.performance.engine import Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period

URL = "/api/followups/compliance/"
MARCH = Period.parse("2026-03")


def contact(customer, author, when, *, late=False, is_active=True):
    return FollowUp.objects.create(customer=customer, author=author, contacted_at=when, channel="phone",
                                   key_points="x", late=late, is_active=is_active)


@pytest.fixture
def figures_data(actors, clock):
    """rep_a1: 4 graded customers, 1 overdue, 1 ungraded overdue (not counted); 4 follow-ups in March, 1 late,
    plus a late one in February. rep_a2: 2 graded, both overdue; no follow-ups."""
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)

    def customer(owner, grade, due, **extra):
        return Customer.objects.create(name="客户", owner=owner, grade=grade, next_due_at=due, **extra)

    a1 = [customer(actors.rep_a1, "A", yesterday), customer(actors.rep_a1, "B", today),
          customer(actors.rep_a1, "C", tomorrow), customer(actors.rep_a1, "C", None)]
    customer(actors.rep_a1, None, yesterday)
    customer(actors.rep_a1, "A", yesterday, is_active=False)
    customer(actors.rep_a2, "B", yesterday)
    customer(actors.rep_a2, "C", yesterday)
    for day, late in ((2, False), (3, True), (3, False), (4, False)):
        contact(a1[0], actors.rep_a1, local(2026, 3, day), late=late)
    contact(a1[0], actors.rep_a1, local(2026, 2, 27), late=True)
    contact(a1[0], actors.rep_a1, local(2026, 3, 4), late=True, is_active=False)
    return today


def test_figures_match_hand_counts(actors, figures_data, django_assert_num_queries):
    ids = [actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk]
    with django_assert_num_queries(2):  # one per source: the customers, the follow-ups
        each = figures_per(level=Level.PERSON, ids=ids, period=MARCH, metrics=METRICS, today=figures_data)
    a1, a2, b1 = (each[pk] for pk in ids)
    assert (a1["graded_customers"], a1["overdue_customers"], a1["compliance"]) == (4, 1, 0.75)
    assert (a1["followups"], a1["late_followups"], a1["late_share"], a1["followed_up_customers"]) == (4, 1, 0.25, 1)
    assert (a2["graded_customers"], a2["overdue_customers"], a2["compliance"], a2["late_share"]) == (2, 2, 0.0, None)
    assert (b1["graded_customers"], b1["compliance"], b1["followups"], b1["late_share"]) == (0, None, 0, None)
    team = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=METRICS, today=figures_data)
    assert team == {
        "graded_customers": 6, "overdue_customers": 3, "compliance": 0.5, "followups": 4, "late_followups": 1,
        "late_share": 0.25, "followed_up_customers": 1,
    }


@pytest.fixture
def shared_work(actors, clock):
    """Team A's March: rep_a1 and lead_a both follow up rep_a1's customer (lead_a's one late); rep_a2
    follows up their own, which is overdue."""
    today = timezone.localdate()
    shared = Customer.objects.create(name="共享客户", owner=actors.rep_a1, grade="A", next_due_at=today)
    own = Customer.objects.create(name="李娜的客户", owner=actors.rep_a2, grade="B",
                                  next_due_at=today - dt.timedelta(days=1))
    contact(shared, actors.rep_a1, local(2026, 3, 2))
    contact(shared, actors.lead_a, local(2026, 3, 3), late=True)
    contact(own, actors.rep_a2, local(2026, 3, 3))
    return shared, own


def test_a_customer_followed_up_by_a_rep_and_their_lead_counts_once_for_the_team(actors, shared_work):
    """R21: distinct counts are computed over the team's rows (2 customers); the sum of its people's
    figures would say 3."""
    ids = [actors.rep_a1.pk, actors.lead_a.pk, actors.rep_a2.pk]
    people = figures_per(level=Level.PERSON, ids=ids, period=MARCH, metrics=METRICS)
    assert [people[pk]["followed_up_customers"] for pk in ids] == [1, 1, 1]
    team_a = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=METRICS)
    assert (team_a["followed_up_customers"], team_a["followups"], team_a["late_share"]) == (2, 3, 1 / 3)
    org = figures(subject=Subject.org(), period=MARCH, metrics=METRICS)
    assert (org["followed_up_customers"], org["followups"]) == (2, 3)


def test_a_follow_up_stays_with_the_team_its_author_was_in(actors, shared_work):
    """R21 attribution "as it was when it happened": rep_a2 moves to team B; the follow-up they wrote in
    team A stays team A's (the team's people now would give 2 follow-ups), and team B gains none."""
    accounts.user_update(user=actors.rep_a2, team=actors.team_b)
    team_a = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=METRICS)
    team_b = figures(subject=Subject.team(actors.team_b.pk), period=MARCH, metrics=METRICS)
    assert (team_a["followups"], team_a["followed_up_customers"]) == (3, 2)
    assert (team_b["followups"], team_b["followed_up_customers"]) == (0, 0)
    assert figures(subject=Subject.person(actors.rep_a2.pk), period=MARCH, metrics=METRICS)["followups"] == 1


def test_team_compliance_is_over_the_customers_its_people_own_now(actors, shared_work, clock):
    """R10 is a snapshot: rep_a2's overdue customer goes with them to team B, so team A is on cadence."""
    before = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=METRICS)
    assert (before["graded_customers"], before["overdue_customers"], before["compliance"]) == (2, 1, 0.5)
    accounts.user_update(user=actors.rep_a2, team=actors.team_b)
    team_a = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=METRICS)
    team_b = figures(subject=Subject.team(actors.team_b.pk), period=MARCH, metrics=METRICS)
    assert (team_a["graded_customers"], team_a["overdue_customers"], team_a["compliance"]) == (1, 0, 1.0)
    assert (team_b["graded_customers"], team_b["overdue_customers"], team_b["compliance"]) == (1, 1, 0.0)


def test_team_totals_over_the_api_count_a_shared_customer_once(actors, api_as, shared_work):
    response = api_as(actors.lead_a).get(URL, {"scope": f"team:{actors.team_a.pk}", "period": "2026-03"})
    assert response.status_code == 200
    data = response.json()
    members = {m["user"]: m for m in data["members"]}
    assert set(members) == {actors.lead_a.pk, actors.rep_a1.pk, actors.rep_a2.pk}
    assert [members[person.pk]["followed_up_customers"] for person in (actors.lead_a, actors.rep_a1, actors.rep_a2)] \
        == [1, 1, 1]
    totals = data["totals"]
    assert (totals["followed_up_customers"], totals["followups"], totals["late"]) == (2, 3, 1)
    assert (totals["customers"], totals["overdue"], totals["compliance"]) == (2, 1, 0.5)


def test_team_figures_over_the_api(actors, api_as, figures_data):
    response = api_as(actors.lead_a).get(URL, {"scope": f"team:{actors.team_a.pk}", "period": "2026-03"})
    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["end"], data["period"], data["scope"]) == (
        "2026-03-01", "2026-03-31", "2026-03", f"team:{actors.team_a.pk}")
    members = {m["user"]: m for m in data["members"]}
    assert set(members) == {actors.lead_a.pk, actors.rep_a1.pk, actors.rep_a2.pk}
    assert (members[actors.rep_a1.pk]["compliance"], members[actors.rep_a1.pk]["late_share"]) == (0.75, 0.25)
    assert data["totals"]["compliance"] == 0.5
    february = api_as(actors.lead_a).get(URL, {"scope": f"user:{actors.rep_a1.pk}", "period": "2026-02"}).json()
    assert (february["members"][0]["followups"], february["members"][0]["late_share"]) == (1, 1.0)
    assert february["totals"]["late_share"] == 1.0


def test_the_period_defaults_to_this_month(actors, api_as, figures_data):
    data = api_as(actors.rep_a1).get(URL).json()
    assert (data["scope"], data["period"], data["start"], data["end"]) == (
        f"user:{actors.rep_a1.pk}", "2026-03", "2026-03-01", "2026-03-31")
    assert data["totals"]["followups"] == 4


@pytest.mark.parametrize(
    ("who", "scope", "status"),
    [
        ("rep_a1", "user:rep_a1", 200),
        ("rep_a1", "user:rep_a2", 404),
        ("rep_a1", "team:team_a", 404),
        ("lead_a", "user:rep_a2", 200),
        ("lead_a", "user:rep_b1", 404),
        ("lead_b", "team:team_a", 404),
        ("director", "team:team_b", 200),
        ("director", "team:team_c", 404),
        ("admin", "team:team_c", 200),
        ("admin", "org", 200),
        ("director", "org", 403),
    ],
)
def test_who_may_see_whose_figures(actors, api_as, who, scope, status):
    kind, _sep, name = scope.partition(":")
    value = f"{kind}:{getattr(actors, name).pk}" if name else kind
    response = api_as(getattr(actors, who)).get(URL, {"scope": value, "period": "2026-03"})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("params", "field"),
    [({"scope": "team:abc"}, "scope"), ({"scope": "user:99999999999999999999"}, "scope"),
     ({"scope": "galaxy:1"}, "scope"), ({"period": "2026-13"}, "period"), ({"period": "soon"}, "period")],
)
def test_bad_parameters_are_field_errors(actors, api_as, params, field):
    response = api_as(actors.admin).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
