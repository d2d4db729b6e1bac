"""R5 problems: anyone of the team raises one; only whoever manages the team assigns an owner (a person or
a resource) and resolves it with a note; open → in progress → resolved; open ones stay for the brief;
R1: the team's people see it, others get 404, a customer is named only to those who see it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.daily.problems import selectors, services
from salesops.daily.problems.models import Problem, ProblemStatus
from salesops.testing.actors import Actors
from salesops.testing.races import race

Api = Callable[[User | None], APIClient]


def raise_one(api: APIClient, **fields: object) -> dict[str, object]:
    answer = api.post("/api/problems/", {"title": "客户资源不足", "category": "customer_resources", **fields},
                      format="json")
    assert answer.status_code == 201, answer.json()
    return answer.json()  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_a_rep_raises_a_problem_for_their_team(actors: Actors, api_as: Api, customer: Customer) -> None:
    body = raise_one(api_as(actors.rep_a1), customer=customer.pk, source="summary", detail="本周新客户线索太少")
    assert (body["team"], body["raised_by"], body["status"], body["source"]) == (
        actors.team_a.pk, actors.rep_a1.pk, "open", "summary")
    assert body["customer_name"] == "苏州恒通精密机械有限公司"


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"title": "", "category": "pricing"},
    {"title": "价格", "category": "nonsense"},
    {"title": "价格", "category": "pricing", "source": "twitter"},
    {"title": "价格", "category": "pricing", "owner_user": 1},
    {"title": 12, "category": "pricing"},
])
def test_bad_input_is_refused_and_nothing_is_saved(actors: Actors, api_as: Api, body: dict[str, object]) -> None:
    assert api_as(actors.rep_a1).post("/api/problems/", body, format="json").status_code == 400
    assert not Problem.objects.exists()


@pytest.mark.django_db
def test_a_customer_outside_scope_is_not_found(actors: Actors, api_as: Api, customer: Customer) -> None:
    answer = api_as(actors.rep_a2).post("/api/problems/", {"title": "价格", "category": "pricing",
                                                           "customer": customer.pk}, format="json")
    assert answer.status_code == 404
    assert not Problem.objects.exists()


@pytest.mark.django_db
def test_only_whoever_manages_the_team_assigns_and_resolves(actors: Actors, api_as: Api) -> None:
    problem = raise_one(api_as(actors.rep_a1))
    path = f"/api/problems/{problem['id']}"
    rep = api_as(actors.rep_a2)
    assert rep.post(f"{path}/assign/", {"owner_resource": "samples"}, format="json").status_code == 403
    assert rep.post(f"{path}/resolve/", {"resolution": "自己解决"}, format="json").status_code == 403
    assert api_as(actors.lead_b).post(f"{path}/assign/", {"owner_resource": "samples"},
                                      format="json").status_code == 404
    lead = api_as(actors.lead_a)
    assigned = lead.post(f"{path}/assign/", {"owner_user": actors.rep_a2.pk, "version": 1}, format="json")
    assert assigned.status_code == 200 and assigned.json()["owner_user_name"] == "李娜"
    assert lead.post(f"{path}/assign/", {"owner_user": actors.rep_a2.pk, "owner_resource": "samples"},
                     format="json").status_code == 400
    started = rep.post(f"{path}/start/", {}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    assert rep.post(f"{path}/start/", {}, format="json").status_code == 409
    assert lead.post(f"{path}/resolve/", {"resolution": "  "}, format="json").status_code == 400
    resolved = api_as(actors.director).post(f"{path}/resolve/", {"resolution": "总监协调了10条线索"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    again = lead.post(f"{path}/resolve/", {"resolution": "再来"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "problem_state"
    history = lead.get(f"{path}/history/").json()
    assert {change["field"] for change in history} >= {"status", "owner_user", "resolution", "created"}


@pytest.mark.django_db
def test_a_stale_edit_is_refused(actors: Actors, api_as: Api) -> None:
    problem = raise_one(api_as(actors.rep_a1))
    path = f"/api/problems/{problem['id']}/"
    api = api_as(actors.rep_a1)
    assert api.patch(path, {"detail": "补充", "version": 1}, format="json").status_code == 200
    assert api.patch(path, {"detail": "旧的", "version": 1}, format="json").status_code == 409
    assert api_as(actors.rep_a2).patch(path, {"detail": "别人的", "version": 2}, format="json").status_code == 403
    assert Problem.objects.get().detail == "补充"


@pytest.mark.django_db
def test_the_team_sees_it_others_do_not_and_a_teammate_does_not_see_the_customer(
        actors: Actors, api_as: Api, customer: Customer) -> None:
    problem = raise_one(api_as(actors.rep_a1), customer=customer.pk)
    path = f"/api/problems/{problem['id']}/"
    seen = api_as(actors.rep_a2).get(path)
    assert seen.status_code == 200
    assert seen.json()["customer"] is None and "恒通" not in seen.content.decode()
    assert api_as(actors.lead_a).get(path).json()["customer_name"] == "苏州恒通精密机械有限公司"
    for outsider in (actors.rep_b1, actors.lead_b, actors.lead_c):
        assert api_as(outsider).get(path).status_code == 404
    assert api_as(actors.director).get(path).status_code == 200


@pytest.mark.django_db
def test_open_problems_stay_until_resolved(actors: Actors) -> None:
    first = services.problem_raise(by=actors.rep_a1, title="样品不够", category="other")
    second = services.problem_raise(by=actors.rep_a2, title="报价权限", category="pricing")
    services.problem_raise(by=actors.rep_b1, title="别的组", category="other")
    services.problem_start(by=actors.lead_a, problem=second)
    assert list(selectors.open_problems(team_id=actors.team_a.pk)) == [first, second]
    services.problem_resolve(by=actors.lead_a, problem=first, resolution="补了样品")
    assert list(selectors.open_problems(team_id=actors.team_a.pk)) == [second]


@pytest.mark.django_db
def test_someone_without_a_team_names_a_team_they_manage(actors: Actors, api_as: Api) -> None:
    assert api_as(actors.director).post("/api/problems/", {"title": "价格", "category": "pricing"},
                                        format="json").status_code == 400
    assert raise_one(api_as(actors.director), team=actors.team_b.pk)["team"] == actors.team_b.pk
    assert api_as(actors.director).post("/api/problems/", {"title": "价格", "category": "pricing",
                                                           "team": actors.team_c.pk}, format="json").status_code == 404
    assert api_as(actors.rep_a1).post("/api/problems/", {"title": "价格", "category": "pricing",
                                                         "team": actors.team_b.pk}, format="json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_one_wins(actors: Actors, concurrent_db: None) -> None:
    problem = services.problem_raise(by=actors.rep_a1, title="样品不够", category="other")
    services.problem_assign(by=actors.lead_a, problem=problem, owner_user=actors.rep_a2)
    outcomes = race(lambda: services.problem_start(by=actors.lead_a, problem=problem),
                    lambda: services.problem_start(by=actors.rep_a2, problem=problem))
    assert sorted(outcomes) == ["ok", "problem_state"]
    assert Problem.objects.get().status == ProblemStatus.IN_PROGRESS
