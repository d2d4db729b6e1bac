"""The lead's day board (R7, R17, R5, R1): the plans handed in to approve or return inline, the open resource
requests to fulfil or decline, the reps without a plan once the plan deadline has passed and without a summary
once it is due, the team's open problems; a director picks a team of theirs, another team is 404 and nothing
of it shows; a rep may not open it. A fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.daily.plans import requests as plan_requests
from salesops.daily.plans import services as plans
from salesops.daily.plans.models import PlanStatus, RequestStatus
from salesops.daily.problems import services as problem_services
from salesops.daily.summaries import services as summaries
from salesops.home.tests.conftest import WEDNESDAY, local
from salesops.testing.factories import make_user

URL = "/day/"


@pytest.fixture
def morning(actors, clock):
    """08:50: rep_a1 hands in a plan with a request; rep_a2 has a draft; rep_b1 (team B) hands one in."""
    clock.now = local(WEDNESDAY, 8, 50)
    a1 = plans.plan_submit(by=actors.rep_a1, plan=plans.plan_create(by=actors.rep_a1, day=WEDNESDAY))
    request = plan_requests.request_create(by=actors.rep_a1, plan=a1, kind="samples", detail="两箱样品")
    plans.plan_create(by=actors.rep_a2, day=WEDNESDAY)
    b1 = plans.plan_submit(by=actors.rep_b1, plan=plans.plan_create(by=actors.rep_b1, day=WEDNESDAY))
    b1_request = plan_requests.request_create(by=actors.rep_b1, plan=b1, kind="tech_support", detail="演示")
    return {"a1": a1, "request": request, "b1": b1, "b1_request": b1_request}


def test_lead_sees_what_waits_on_them(client, actors, morning):
    client.force_login(actors.lead_a)
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.team == actors.team_a
    assert [(person, plan) for person, plan in board.to_approve] == [(actors.rep_a1, morning["a1"])]
    assert board.requests == [morning["request"]]
    assert board.plans_missing is None  # before the deadline nobody is missing yet
    page = response.content.decode()
    assert f'action="/plans/{morning["a1"].pk}/approve/"' in page and 'name="next" value="/day/"' in page
    assert f'action="/plans/requests/{morning["request"].pk}/fulfil/"' in page
    assert "王芳" not in page and "演示" not in page  # R1: nothing of team B


def test_after_the_deadline_the_reps_without_a_handed_in_plan_are_missing(client, actors, morning, clock):
    clock.now = local(WEDNESDAY, 10, 0)  # plan_due_at is 09:30 by default
    client.force_login(actors.lead_a)
    board = client.get(URL).context["board"]
    assert board.plans_missing == [actors.rep_a2]  # a draft is not handed in (R7, as plan_check reads it)


def test_on_a_day_off_nobody_is_missing(client, actors, clock):
    clock.now = local(WEDNESDAY + dt.timedelta(days=3), 11, 0)  # Saturday
    client.force_login(actors.lead_a)
    assert client.get(URL).context["board"].plans_missing is None


def test_approve_and_fulfil_from_the_board_come_back_to_it(client, actors, morning):
    client.force_login(actors.lead_a)
    plan, request = morning["a1"], morning["request"]
    response = client.post(f"/plans/{plan.pk}/approve/", {"version": plan.version, "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    response = client.post(f"/plans/requests/{request.pk}/fulfil/", {"version": request.version, "next": URL,
                                                                     "comment": "下午送到"})
    assert response["Location"] == URL
    plan.refresh_from_db()
    request.refresh_from_db()
    assert (plan.status, request.status) == (PlanStatus.APPROVED, RequestStatus.FULFILLED)
    board = client.get(URL).context["board"]
    assert board.to_approve == [] and board.requests == []


def test_director_picks_a_team_of_theirs(client, actors, morning):
    client.force_login(actors.director)
    response = client.get(URL, {"team": actors.team_b.pk})
    assert response.context["board"].to_approve == [(actors.rep_b1, morning["b1"])]
    assert response.context["board"].requests == [morning["b1_request"]]
    assert 'id="team-pick"' in response.content.decode()


def test_another_team_is_not_found_and_a_rep_may_not_open_the_board(client, actors, morning):
    client.force_login(actors.lead_a)
    assert client.get(URL, {"team": actors.team_b.pk}).status_code == 404
    assert client.get(URL, {"team": "x"}).context["board"].team == actors.team_a  # a bad value: the own team
    client.force_login(actors.rep_a1)
    assert client.get(URL).status_code == 403


def test_the_board_is_in_the_lead_menu_not_the_reps(client, actors, clock):
    client.force_login(actors.lead_a)
    assert 'href="/day/"' in client.get("/").content.decode()
    client.force_login(actors.rep_a1)
    assert 'href="/day/"' not in client.get("/").content.decode()


def test_english_board(client, actors, morning):
    actors.lead_a.language = "en"
    actors.lead_a.save(update_fields=["language"])
    client.force_login(actors.lead_a)
    page = client.get(URL).content.decode()
    for words in ("Day board", "Plans to approve", "Open resource requests", "Plans missing"):
        assert words in page


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["lead_a", "director"])
def test_board_is_a_fixed_number_of_queries(client, actors, clock, who):
    clock.now = local(WEDNESDAY, 8, 50)
    client.force_login(getattr(actors, who))

    def add(n: int) -> None:
        for k in range(n):
            rep = make_user(username=f"extra_{n}_{k}", team=actors.team_a)
            plan = plans.plan_submit(by=rep, plan=plans.plan_create(by=rep, day=WEDNESDAY))
            plan_requests.request_create(by=rep, plan=plan, kind="samples", detail=f"样品{k}")
            problem_services.problem_raise(by=rep, title=f"难题{n}-{k}", category="other")
            if k % 2:
                summaries.summary_submit(by=rep, day=WEDNESDAY, done="拜访客户")

    def measured() -> int:
        at, clock.now = clock.now, local(WEDNESDAY, 17, 45)  # past both deadlines: every list is read
        try:
            return _queries(client, team=actors.team_a.pk)
        finally:
            clock.now = at

    add(1)
    small = measured()
    add(8)
    assert measured() == small <= 15


def test_after_the_summary_is_due_the_reps_without_one_are_missing(client, actors, clock):
    """R17 as summary_check reads it: before the due time nobody is missing; after it, the team's reps
    without a summary of the day (nobody of team B, whose rep wrote none either)."""
    clock.now = local(WEDNESDAY, 17, 0)  # the summary is due at 17:30 by default
    summaries.summary_submit(by=actors.rep_a1, day=WEDNESDAY, done="拜访三家客户")
    client.force_login(actors.lead_a)
    assert client.get(URL).context["board"].summaries_missing is None
    clock.now = local(WEDNESDAY, 17, 45)
    response = client.get(URL)
    assert response.context["board"].summaries_missing == [actors.rep_a2]
    page = response.content.decode()
    assert f'data-testid="summary-missing-{actors.rep_a2.pk}"' in page
    assert f'summary-missing-{actors.rep_b1.pk}' not in page and f'summary-missing-{actors.rep_a1.pk}' not in page


def test_on_a_day_off_no_summary_is_missing(client, actors, clock):
    clock.now = local(WEDNESDAY + dt.timedelta(days=3), 19, 0)  # Saturday
    client.force_login(actors.lead_a)
    assert client.get(URL).context["board"].summaries_missing is None


def test_the_teams_open_problems_and_nothing_of_another_team(client, actors, clock):
    clock.now = local(WEDNESDAY, 9, 0)
    mine = problem_services.problem_raise(by=actors.rep_a1, title="报价审批太慢", category="pricing")
    problem_services.problem_assign(by=actors.lead_a, problem=mine, owner_user=actors.rep_a1)
    resolved = problem_services.problem_raise(by=actors.rep_a2, title="已解决的问题", category="other")
    problem_services.problem_resolve(by=actors.lead_a, problem=resolved, resolution="已处理")
    other = problem_services.problem_raise(by=actors.rep_b1, title="乙组的难题", category="technical")
    client.force_login(actors.lead_a)
    response = client.get(URL)
    assert response.context["board"].problems == [mine]
    page = response.content.decode()
    assert f'href="/problems/{mine.pk}/"' in page and "张伟" in page  # the owner
    assert "已解决的问题" not in page and "乙组的难题" not in page  # R5 open only; R1 nothing of team B
    client.force_login(actors.director)
    assert client.get(URL, {"team": actors.team_b.pk}).context["board"].problems == [other]
