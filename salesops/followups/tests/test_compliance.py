"""Cadence compliance per rep (R10) and late-logging share (R11): figures against hand counts, and
who may ask for whose figures (R1) on /api/followups/compliance/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.followups import selectors
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import local

URL = "/api/followups/compliance/"


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
        FollowUp.objects.create(customer=a1[0], author=actors.rep_a1, contacted_at=local(2026, 3, day),
                                channel="phone", key_points="x", late=late)
    FollowUp.objects.create(customer=a1[0], author=actors.rep_a1, contacted_at=local(2026, 2, 27),
                            channel="phone", key_points="x", late=True)
    FollowUp.objects.create(customer=a1[0], author=actors.rep_a1, contacted_at=local(2026, 3, 4),
                            channel="phone", key_points="x", late=True, is_active=False)
    return today


def test_figures_match_hand_counts(actors, figures_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        a1, a2, b1 = selectors.rep_figures(
            users=[actors.rep_a1, actors.rep_a2, actors.rep_b1], today=figures_data,
            start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
        )
    assert (a1.customers, a1.overdue, a1.compliance) == (4, 1, 0.75)
    assert (a1.followups, a1.late, a1.late_share) == (4, 1, 0.25)
    assert (a2.customers, a2.overdue, a2.compliance, a2.late_share) == (2, 2, 0.0, None)
    assert (b1.customers, b1.compliance, b1.followups, b1.late_share) == (0, None, 0, None)
    assert selectors.total_figures([a1, a2, b1]) == {
        "customers": 6, "overdue": 3, "compliance": 0.5, "followups": 4, "late": 1, "late_share": 0.25,
    }


def test_team_figures_over_the_api(actors, api_as, figures_data):
    response = api_as(actors.lead_a).get(URL, {"scope": f"team:{actors.team_a.pk}", "period": "2026-03"})
    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["end"]) == ("2026-03-01", "2026-03-31")
    members = {m["user"]: m for m in data["members"]}
    assert set(members) == {actors.lead_a.pk, actors.rep_a1.pk, actors.rep_a2.pk}
    assert (members[actors.rep_a1.pk]["compliance"], members[actors.rep_a1.pk]["late_share"]) == (0.75, 0.25)
    assert data["totals"]["compliance"] == 0.5
    february = api_as(actors.lead_a).get(URL, {"scope": f"user:{actors.rep_a1.pk}", "period": "2026-02"}).json()
    assert (february["members"][0]["followups"], february["members"][0]["late_share"]) == (1, 1.0)


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


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2026-11-26", (dt.date(2026, 11, 26), dt.date(2026, 11, 26))),
        ("2026-W48", (dt.date(2026, 11, 23), dt.date(2026, 11, 29))),
        ("2026-02", (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("2026-Q4", (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        ("2026-W54", None),
        ("26-11", None),
    ],
)
def test_period_bounds(text, bounds):
    assert selectors.period_bounds(text) == bounds
