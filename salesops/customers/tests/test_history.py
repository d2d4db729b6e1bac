"""R12: every change of a customer keeps who, when, old value and new value; the history endpoint reads
them field by field, tags by name, and the grade with its reason (R8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


@pytest.mark.django_db
def test_history_lists_each_change_with_who_old_and_new(actors: Actors, api_as: ApiAs) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="合肥科大讯联", industry="教育", tags=["展会线索"])
    services.customer_update(customer=customer, by=actors.rep_a1, industry="软件")
    services.customer_update(customer=customer, by=actors.lead_a, grade="B", grade_reason="有预算，季度内决策")
    services.customer_update(customer=customer, by=actors.rep_a1, tags=["展会线索", "重点客户"])

    response = api_as(actors.lead_a).get(f"{URL}{customer.pk}/history/")
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()["results"]
    triples = [(r["field"], r["old"], r["new"], r["by"]) for r in rows]
    assert ("industry", "教育", "软件", "张伟") in triples
    assert ("tags", "展会线索", "展会线索、重点客户", "张伟") in triples
    grade = next(r for r in rows if r["field"] == "grade")
    assert (grade["old"], grade["by"], grade["by_id"], grade["reason"]) == ("—", "陈组长", actors.lead_a.pk,
                                                                           "有预算，季度内决策")
    assert grade["new"].startswith("B")
    assert ("grade_reason", "—", "有预算，季度内决策", "陈组长") in triples
    assert rows[-1]["field"] == "created"
    assert rows[-1]["by"] == "张伟"
    ats = [r["at"] for r in rows]
    assert ats == sorted(ats, reverse=True)
    assert not any(r["field"] in ("updated_at", "name_key", "search_key") for r in rows)


@pytest.mark.django_db
def test_grade_change_without_a_reason_keeps_nothing(actors: Actors, api_as: ApiAs) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="芜湖长江船舶")
    versions = customer.history.count()
    body = {"grade": "A", "grade_reason": " ", "version": 1}
    response = api_as(actors.rep_a1).patch(f"{URL}{customer.pk}/", body, format="json")
    assert response.status_code == 400
    customer.refresh_from_db()
    assert (customer.grade, customer.history.count()) == (None, versions)


@pytest.mark.django_db
def test_history_query_count_is_fixed(actors: Actors, api_as: ApiAs, django_assert_max_num_queries: Any) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="版本很多的客户")
    for i in range(15):
        services.customer_update(customer=customer, by=actors.rep_a1, address=f"第{i}号", tags=[f"标签{i}"])
    client = api_as(actors.rep_a1)
    with django_assert_max_num_queries(8):
        response = client.get(f"{URL}{customer.pk}/history/")
    fields = [r["field"] for r in response.json()["results"]]
    assert fields.count("address") == 15
    assert fields.count("tags") == 15


@pytest.mark.django_db
def test_derived_cadence_dates_are_not_blamed_on_the_next_editor(actors: Actors, api_as: ApiAs) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="绍兴黄酒厂")
    Customer.objects.filter(pk=customer.pk).update(next_due_at=dt.date(2026, 12, 1))  # as the cadence job does
    services.customer_update(customer=customer, by=actors.rep_a1, focus="口碑")
    rows = api_as(actors.rep_a1).get(f"{URL}{customer.pk}/history/").json()["results"]
    assert [(r["field"], r["new"]) for r in rows if r["field"] != "created"] == [("focus", "口碑")]


@pytest.mark.django_db
def test_history_times_carry_the_organisation_offset_like_the_rest_of_the_api(actors: Actors, api_as: ApiAs) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="宁波港湾物流")
    services.customer_update(customer=customer, by=actors.rep_a1, address="宁波市北仑区")
    client = api_as(actors.rep_a1)
    rows = client.get(f"{URL}{customer.pk}/history/").json()["results"]
    recorded = [record.history_date for record in customer.history.order_by("-history_date", "-history_id")]
    shanghai = ZoneInfo("Asia/Shanghai")
    assert [dt.datetime.fromisoformat(r["at"]) for r in rows] == recorded
    assert [r["at"] for r in rows] == [at.astimezone(shanghai).isoformat() for at in recorded]
    updated_at = client.get(f"{URL}{customer.pk}/").json()["updated_at"]
    assert rows[0]["at"][-6:] == updated_at[-6:] == "+08:00"
