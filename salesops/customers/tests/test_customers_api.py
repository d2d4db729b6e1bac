"""/api/customers/ (API.md): create, update with a grade reason (R8), tags (R9), contacts, soft delete,
bad input (400, nothing saved), filters, search (R15) and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Contact, Customer, CustomerSearchTerm, Tag
from salesops.customers.tests.test_search import expected_terms
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


def make(by: User, name: str, **fields: Any) -> Customer:
    return services.customer_create(by=by, name=name, **fields)


@pytest.mark.django_db
def test_rep_creates_a_customer_with_tags_and_a_contact(actors: Actors, api_as: ApiAs) -> None:
    body = {
        "name": "苏州精工机械有限公司", "industry": "制造业", "company_size": "small",
        "decision_maker_role": "采购经理",
        "budget": "500000", "focus": "性价比", "tags": ["展会线索", "老客户推荐"], "phone": "0512-6523 1234",
        "credit_code": "91350100M000100Y43", "address": "苏州工业园区星湖街 1 号",
        "contacts": [{"name": "周经理", "phone": "139 1234 5678", "decision_role": "decider", "is_primary": True}],
    }
    response = api_as(actors.rep_a1).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["owner"] == actors.rep_a1.pk
    assert data["owner_name"] == "张伟"
    assert data["tags"] == ["展会线索", "老客户推荐"]
    assert data["budget"] == "500000.00"
    assert data["grade"] is None
    assert data["cadence_status"] == "none"
    assert [c["name"] for c in data["contacts"]] == ["周经理"]
    customer = Customer.objects.get(pk=data["id"])
    assert data["tag_line"] == customer.tag_line
    assert data["tag_line"].startswith("制造业-") and "采购经理" in data["tag_line"]
    assert customer.name_key == "苏州精工机械"
    assert customer.phone_key == "051265231234"
    assert set(CustomerSearchTerm.objects.filter(customer=customer).values_list("term", flat=True)) == (
        expected_terms("苏州精工机械有限公司", ["0512-6523 1234", "13912345678"])
    )
    assert customer.history.earliest("history_date").history_type == "+"  # R12: the creation is recorded
    assert {record.history_user for record in customer.history.all()} == {actors.rep_a1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "坏数据公司", "phone": "abc-defg"}, "phone"),
        ({"name": "坏数据公司", "credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"name": "坏数据公司", "credit_code": "91350100M000100Y4"}, "credit_code"),
        ({"name": "  "}, "name"),
        ({"name": "坏数据公司", "grade": "D"}, "grade"),
        ({"name": "坏数据公司", "budget": "-1"}, "budget"),
        ({"name": "坏数据公司", "company_size": "huge"}, "company_size"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    actors: Actors, api_as: ApiAs, body: dict[str, Any], field: str
) -> None:
    response = api_as(actors.rep_a1).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]
    assert Customer.objects.count() == 0
    assert Tag.objects.count() == 0


@pytest.mark.django_db
def test_grade_change_needs_a_reason_and_records_when(
    actors: Actors, api_as: ApiAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    wednesday = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))  # a working day
    monkeypatch.setattr(timezone, "now", lambda: wednesday)
    customer = make(actors.rep_a1, "杭州云帆科技")
    client = api_as(actors.rep_a1)
    refused = client.patch(f"{URL}{customer.pk}/", {"grade": "B", "version": customer.version}, format="json")
    assert refused.status_code == 400
    assert "grade_reason" in refused.json()["error"]["fields"]
    customer.refresh_from_db()
    assert customer.grade is None
    body = {"grade": "B", "grade_reason": "预算已批，三个月内采购", "version": customer.version}
    response = client.patch(f"{URL}{customer.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert customer.grade == "B"
    assert customer.grade_reason == "预算已批，三个月内采购"
    assert customer.graded_at == wednesday
    assert customer.intent_at == wednesday  # R8: first A/B = reached intent
    assert customer.status == "intent"
    first_intent = customer.intent_at
    client.patch(f"{URL}{customer.pk}/", {"grade": "A", "grade_reason": "下周签约", "version": customer.version},
                 format="json")
    customer.refresh_from_db()
    assert customer.grade == "A"
    assert customer.intent_at == first_intent
    # R10 via the cadence refresh: A is followed up each working day and its contract pushed within 3
    assert (customer.next_due_at, customer.contract_due_at) == (dt.date(2026, 3, 5), dt.date(2026, 3, 9))
    assert response.json()["cadence_status"] == "ok"  # graded B today: not due yet


@pytest.mark.django_db
def test_update_tags_and_deactivate(actors: Actors, api_as: ApiAs) -> None:
    customer = make(actors.rep_a1, "宁波港通物流", tags=["展会线索"])
    client = api_as(actors.rep_a1)
    response = client.patch(f"{URL}{customer.pk}/", {"tags": ["重点客户", "老客户推荐"], "version": 1}, format="json")
    assert response.json()["tags"] == ["老客户推荐", "重点客户"]
    assert client.post(f"{URL}{customer.pk}/deactivate/").status_code == 200
    customer.refresh_from_db()
    assert customer.is_active is False
    assert client.get(f"{URL}{customer.pk}/").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert client.delete(f"{URL}{customer.pk}/").status_code == 405


@pytest.mark.django_db
def test_rep_cannot_edit_a_pool_customer_but_a_lead_can(actors: Actors, api_as: ApiAs) -> None:
    pooled = make(actors.lead_a, "公海里的客户", owner=None)
    edit = {"industry": "零售", "version": 1}
    assert api_as(actors.rep_a1).patch(f"{URL}{pooled.pk}/", edit, format="json").status_code == 403
    assert api_as(actors.lead_a).patch(f"{URL}{pooled.pk}/", edit, format="json").status_code == 200
    pooled.refresh_from_db()
    assert pooled.industry == "零售"


@pytest.mark.django_db
def test_rep_cannot_give_a_customer_to_someone_else(actors: Actors, api_as: ApiAs) -> None:
    response = api_as(actors.rep_a1).post(URL, {"name": "给别人的客户", "owner": actors.rep_a2.pk}, format="json")
    assert response.status_code == 400
    assert "owner" in response.json()["error"]["fields"]
    assert Customer.objects.count() == 0
    led = api_as(actors.lead_a).post(URL, {"name": "组长分配的客户", "owner": actors.rep_a2.pk}, format="json")
    assert led.status_code == 201
    assert led.json()["owner"] == actors.rep_a2.pk


@pytest.mark.django_db
def test_contacts_create_update_deactivate(actors: Actors, api_as: ApiAs) -> None:
    customer = make(actors.rep_a1, "无锡新材料")
    client = api_as(actors.rep_a1)
    created = client.post(f"{URL}{customer.pk}/contacts/", {"name": "钱工", "phone": "13800001111"}, format="json")
    assert created.status_code == 201
    contact_id = created.json()["id"]
    bad = client.post(f"{URL}{customer.pk}/contacts/", {"name": "孙工", "phone": "tel"}, format="json")
    assert bad.status_code == 400
    assert "phone" in bad.json()["error"]["fields"]
    assert Contact.objects.count() == 1
    assert CustomerSearchTerm.objects.filter(customer=customer, term="13800001111").exists()
    changed = client.patch(f"{URL}{customer.pk}/contacts/{contact_id}/", {"title": "技术总监", "version": 1},
                           format="json")
    assert changed.json()["title"] == "技术总监"
    assert client.post(f"{URL}{customer.pk}/contacts/{contact_id}/deactivate/").status_code == 200
    assert client.get(f"{URL}{customer.pk}/contacts/").json() == []
    assert not CustomerSearchTerm.objects.filter(customer=customer, term="13800001111").exists()
    assert Contact.objects.get(pk=contact_id).history.count() == 3


@pytest.mark.django_db
def test_filters(actors: Actors, api_as: ApiAs) -> None:
    today = timezone.localdate()
    a = make(actors.rep_a1, "甲公司", industry="制造业", tags=["重点"], grade="A", grade_reason="急需")
    b = make(actors.rep_a2, "乙公司", industry="零售", grade="C", grade_reason="长期")
    pooled = make(actors.lead_a, "丙公司", owner=None)
    Customer.objects.filter(pk=a.pk).update(next_due_at=today - dt.timedelta(days=1))
    Customer.objects.filter(pk=b.pk).update(next_due_at=today)
    client = api_as(actors.lead_a)

    def ids(query: str) -> set[int]:
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {a.pk, b.pk}  # the owned customers by default; the pool is its own view (R15)
    assert ids("?q=丙公司") == set()  # a search looks in the view it is typed in
    assert ids("?q=丙公司&pool=true") == {pooled.pk}
    assert ids("?grade=A") == {a.pk}
    assert ids("?grade=none&pool=true") == {pooled.pk}
    assert ids("?grade=none") == set()
    assert ids(f"?owner={actors.rep_a2.pk}") == {b.pk}
    assert ids(f"?team={actors.team_a.pk}") == {a.pk, b.pk}
    assert ids("?tag=重点") == {a.pk}
    assert ids("?industry=零售") == {b.pk}
    assert ids("?overdue=true") == {a.pk}
    assert ids("?due_today=true") == {b.pk}
    assert ids("?pool=true") == {pooled.pk}
    assert ids("?pool=false") == {a.pk, b.pk}
    assert ids("?q=丙&pool=false") == set()
    statuses = {row["id"]: row["cadence_status"] for row in client.get(URL).json()["results"]}
    assert statuses == {a.pk: "overdue", b.pk: "due_today"}
    assert client.get(URL + "?pool=true").json()["results"][0]["cadence_status"] == "none"
    for bad in ("?owner=99999999999999999999999", "?team=abc", "?grade=Z"):
        response = client.get(URL + bad)
        assert response.status_code == 400, bad


@pytest.mark.django_db
def test_due_and_overdue_lists_are_work_queues(actors: Actors, api_as: ApiAs, client) -> None:
    """R10: the longest overdue first, then the oldest customer; the page lists them in the same order."""
    today = timezone.localdate()
    rows = [  # name, days overdue (0: due today), owner; created in this order
        ("乙", 0, actors.rep_a1), ("甲", 0, actors.rep_a2), ("丙", 5, actors.rep_a2), ("丁", 2, actors.rep_a1),
        ("戊", 5, actors.rep_a1), ("己", 0, actors.rep_a1), ("庚", 1, actors.rep_a2),
    ]
    for name, days, owner in rows:
        customer = make(owner, name)
        Customer.objects.filter(pk=customer.pk).update(next_due_at=today - dt.timedelta(days=days))
    Customer.objects.filter(name="甲").update(updated_at=timezone.now())  # a newer change does not move it up
    api = api_as(actors.lead_a)

    def names(query: str) -> list[str]:
        return [row["name"] for row in api.get(URL + query).json()["results"]]

    assert names("?due_today=true") == ["乙", "甲", "己"]
    assert names("?overdue=true") == ["丙", "戊", "丁", "庚"]
    assert names("?overdue=true&owner=" + str(actors.rep_a1.pk)) == ["戊", "丁"]
    assert names("?overdue=true&page_size=2&page=2") == ["丁", "庚"]
    client.force_login(actors.lead_a)
    page = client.get("/customers/?overdue=true").content.decode()
    assert [page.index(name) for name in "丙戊丁庚"] == sorted(page.index(name) for name in "丙戊丁庚")


@pytest.mark.django_db
def test_search_by_name_pinyin_initials_and_phone(actors: Actors, api_as: ApiAs) -> None:
    huawei = make(actors.rep_a1, "华为科技有限公司", phone="021-6123 4567")
    other = make(actors.rep_a1, "海尔电器", contacts=[{"name": "吴经理", "phone": "13912345678"}])
    client = api_as(actors.rep_a1)

    def found(q: str) -> set[int]:
        return {row["id"] for row in client.get(URL, {"q": q}).json()["results"]}

    assert found("华为") == {huawei.pk}
    assert found("HW") == {huawei.pk}
    assert found("huawei") == {huawei.pk}
    assert found("h") == {huawei.pk, other.pk}
    assert found("hedq") == {other.pk}
    assert found("021-6123") == {huawei.pk}
    assert found("+86 21 61234567") == {huawei.pk}
    assert found("1391234") == {other.pk}
    assert found("科技") == {huawei.pk}  # any part of the name (R15 search)


@pytest.mark.django_db
def test_a_search_narrowed_to_the_callers_people_finds_what_a_full_search_finds(actors: Actors) -> None:
    """R15 search: the words carry their customer's owner, kept in step through claims, releases and
    transfers, so narrowing to the caller's people (or the pool) loses nothing and adds nothing (R1)."""
    from salesops.customers.pool import services as pool_services
    from salesops.customers.selectors import search, search_owners

    huawei = make(actors.rep_a1, "华为科技有限公司", phone="021-6123 4567")
    make(actors.rep_a1, "海尔电器", contacts=[{"name": "吴经理", "phone": "13912345678"}])
    huarun = make(actors.rep_a2, "华润置地", phone="0512-6666 1234")
    make(actors.rep_b1, "华东医药")
    pooled = make(actors.lead_a, "华联超市", owner=None)
    pool_services.customer_release(customer=huawei, by=actors.rep_a1, reason="不再跟进")
    pool_services.customer_claim(customer=pooled, by=actors.rep_a2)
    pool_services.customer_transfer(customers=[huarun], to_user=actors.rep_a1, by=actors.lead_a, reason="调整")
    assert search_owners(actors.admin) is None
    assert search_owners(actors.rep_a1) == {actors.rep_a1.pk}
    for user in (actors.rep_a1, actors.rep_a2, actors.lead_a, actors.director, actors.admin):
        for text in ("华", "h", "hr", "huarun", "0512", "021", "139", "无"):
            for in_pool, owners in ((False, search_owners(user)), (True, None)):
                base = Customer.objects.visible_to(user, pool=in_pool)
                narrowed = set(search(base, text, owners=owners, pool=in_pool).values_list("pk", flat=True))
                everything = set(search(base, text).values_list("pk", flat=True))
                assert narrowed == everything, (user.username, text, in_pool)
    rep_a1_finds = set(search(Customer.objects.visible_to(actors.rep_a1, pool=False), "华",
                              owners=search_owners(actors.rep_a1)).values_list("name", flat=True))
    assert rep_a1_finds == {"华润置地"}  # released 华为 is in the pool now, transferred 华润 is theirs


@pytest.mark.django_db
def test_list_and_detail_use_a_fixed_number_of_queries(
    actors: Actors, api_as: ApiAs, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        make(actors.rep_a1 if i % 2 else actors.rep_a2, f"批量客户{i}", tags=["重点", f"标签{i}"],
             contacts=[{"name": f"联系人{i}", "phone": f"1380000{i:04d}"}])
    client = api_as(actors.lead_a)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"page_size": "30"})
    assert len(response.json()["results"]) == 30
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "plkh", "grade": "none", "page_size": "30"})
    assert response.json()["count"] == 30
    customer_id = response.json()["results"][0]["id"]
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}{customer_id}/").status_code == 200


@pytest.mark.django_db
def test_a_customer_edit_naming_the_owner_is_refused(actors: Actors, api_as: ApiAs) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="嘉兴纺织")
    response = api_as(actors.lead_a).patch(f"/api/customers/{customer.pk}/", {"owner": actors.rep_a2.pk},
                                           format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["owner"]
    customer.refresh_from_db()
    assert customer.owner_id == actors.rep_a1.pk
