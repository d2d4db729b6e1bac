"""/api/daily-plans/ and /api/resource-requests/ (API.md): the plan's words, the verbs, filters, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.daily.plans.models import DailyPlan, RequestStatus, ResourceRequest
from salesops.daily.plans.tests.conftest import DAY, local

pytestmark = pytest.mark.django_db


def test_a_plan_is_made_with_its_requests_and_read_in_the_api_words(actors, api_as, make_customer, clock):
    a, b = make_customer("甲公司", due=DAY), make_customer("乙公司")
    answer = api_as(actors.rep_a1).post("/api/daily-plans/", {
        "date": DAY.isoformat(), "customers": [a.pk, b.pk], "route": [b.pk, a.pk], "materials": "产品手册",
        "requests": [{"kind": "samples", "detail": "给甲公司的样品两箱"}]}, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert {key: body[key] for key in ("user", "date", "customers", "route", "materials", "status")} == {
        "user": actors.rep_a1.pk, "date": DAY.isoformat(), "customers": [a.pk, b.pk], "route": [b.pk, a.pk],
        "materials": "产品手册", "status": "draft"}
    assert [(r["kind"], r["detail"], r["status"]) for r in body["requests"]] == [
        ("samples", "给甲公司的样品两箱", "open")]


def test_without_customers_the_plan_is_pre_filled(actors, api_as, make_customer, clock):
    due = make_customer("到期客户", due=DAY)
    body = api_as(actors.rep_a1).post("/api/daily-plans/", {}, format="json").json()
    assert body["date"] == DAY.isoformat() and body["customers"] == [due.pk] and body["route"] == []


def test_a_second_plan_for_the_day_is_a_409_duplicate(actors, api_as, make_plan):
    first = make_plan()
    answer = api_as(actors.rep_a1).post("/api/daily-plans/", {"date": DAY.isoformat()}, format="json")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "duplicate" and answer.json()["error"]["plan"] == first.pk


def test_a_customer_outside_the_persons_scope_is_a_404_naming_nothing(actors, api_as, make_customer, clock):
    other = make_customer("乙组秘密客户有限公司", owner=actors.rep_b1)
    answer = api_as(actors.rep_a1).post("/api/daily-plans/", {"customers": [other.pk]}, format="json")
    assert answer.status_code == 404 and "乙组秘密" not in answer.content.decode()
    assert DailyPlan.objects.count() == 0
    answer = api_as(actors.rep_a1).post("/api/daily-plans/", {"requests": [{"kind": "gift", "detail": "x"}]},
                                        format="json")
    assert answer.status_code == 400 and DailyPlan.objects.count() == 0


def test_edit_submit_approve_through_the_api(actors, api_as, make_plan, make_customer, clock):
    plan = make_plan()
    rep, lead = api_as(actors.rep_a1), api_as(actors.lead_a)
    stale = rep.patch(f"/api/daily-plans/{plan.pk}/", {"materials": "x", "version": plan.version + 5}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    assert rep.patch(f"/api/daily-plans/{plan.pk}/", {"materials": "x"}, format="json").status_code == 400
    clock.set(local(2026, 3, 4, 9, 45))
    body = rep.post(f"/api/daily-plans/{plan.pk}/submit/", {}, format="json").json()
    assert body["status"] == "submitted" and body["late"] is True
    assert rep.post(f"/api/daily-plans/{plan.pk}/approve/", {}, format="json").status_code == 403
    returned = lead.post(f"/api/daily-plans/{plan.pk}/return/", {"comment": "补充拜访路线"}, format="json").json()
    assert returned["status"] == "returned" and returned["comment"] == "补充拜访路线"
    rep.post(f"/api/daily-plans/{plan.pk}/submit/", {}, format="json")
    assert lead.post(f"/api/daily-plans/{plan.pk}/approve/", {}, format="json").json()["status"] == "approved"


def test_the_route_is_optimised_with_the_distance_saved(actors, api_as, make_customer, make_plan):
    stops = [make_customer(name, at=at) for name, at in (
        ("一", ("31.30", "120.50")), ("三", ("31.30", "120.70")), ("二", ("31.30", "120.60")))]
    plan = make_plan(customers=[c.pk for c in stops], route=[c.pk for c in stops])
    body = api_as(actors.rep_a1).post(f"/api/daily-plans/{plan.pk}/optimise-route/", {}, format="json").json()
    assert body["saved_km"] > 0 and body["after_km"] == pytest.approx(body["route_km"], abs=0.01)
    assert body["route"] in ([stops[0].pk, stops[2].pk, stops[1].pk], [stops[1].pk, stops[2].pk, stops[0].pk])


def test_filters_and_scope(actors, api_as, make_plan):
    mine, colleague = make_plan(), make_plan(by=actors.rep_a2)
    tomorrow = make_plan(day=DAY + dt.timedelta(days=1))
    make_plan(by=actors.rep_b1)
    lead = api_as(actors.lead_a)
    ids = {row["id"] for row in lead.get("/api/daily-plans/").json()["results"]}
    assert ids == {mine.pk, colleague.pk, tomorrow.pk}
    rows = lead.get(f"/api/daily-plans/?user={actors.rep_a1.pk}&date={DAY.isoformat()}").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert lead.get(f"/api/daily-plans/?team={actors.team_a.pk}&status=draft").json()["count"] == 3
    assert lead.get("/api/daily-plans/?date=2026-13-01").status_code == 400
    assert api_as(actors.rep_a2).get(f"/api/daily-plans/{mine.pk}/").status_code == 404


def test_requests_are_fulfilled_or_declined_once_by_the_lead(actors, api_as, make_plan):
    plan = make_plan()
    rep, lead = api_as(actors.rep_a1), api_as(actors.lead_a)
    made = rep.post("/api/resource-requests/", {"plan": plan.pk, "kind": "contact_info",
                                                "detail": "苏州恒通采购经理的电话"}, format="json")
    assert made.status_code == 201
    pk = made.json()["id"]
    assert rep.post(f"/api/resource-requests/{pk}/fulfil/", {}, format="json").status_code == 403
    assert lead.post(f"/api/resource-requests/{pk}/decline/", {}, format="json").status_code == 400
    done = lead.post(f"/api/resource-requests/{pk}/fulfil/", {"comment": "王经理 13800000000"}, format="json")
    assert done.json()["status"] == "fulfilled" and done.json()["comment"] == "王经理 13800000000"
    again = lead.post(f"/api/resource-requests/{pk}/decline/", {"comment": "晚了"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "request_state"
    assert ResourceRequest.objects.get(pk=pk).status == RequestStatus.FULFILLED
    assert api_as(actors.lead_b).post(f"/api/resource-requests/{pk}/fulfil/", {}, format="json").status_code == 404
