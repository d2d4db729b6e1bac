"""Transfers (R15) as a lead meets them: the new owner is someone the lead manages (R1), never the current
owner; the reason typed is kept in the history (R12) and nothing else is recorded as changed; the new
owner is told; an overdue customer is due the day it is handed over (R10); the customer page and the
filtered list (select all matching) both transfer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from salesops.accounts.models import Role, User
from salesops.core.errors import Invalid
from salesops.customers import selectors
from salesops.customers.models import CadenceStatus, Customer, Grade
from salesops.customers.pool import services as pool
from salesops.demo.people import load_demo
from salesops.followups.cadence import cadence_refresh
from salesops.followups.models import FollowUp
from salesops.notifications.models import Notification
from salesops.organisation.selectors import rule_settings, work_calendar

pytestmark = pytest.mark.django_db
WEDNESDAY = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))  # a working day
REASON = "张伟调岗到华南，客户交给李娜继续跟进"


@pytest.fixture(autouse=True)
def english(request):
    if "actors" in request.fixturenames:
        for person in request.getfixturevalue("actors").all_people().values():
            person.language = "en"
            person.save(update_fields=["language"])
    with translation.override("en"):
        yield


def make_customer(name: str, owner: User | None, grade: str | None = Grade.B) -> Customer:
    return Customer.objects.create(name=name, name_key=name, owner=owner, grade=grade)


def followed_up(customer: Customer, author: User, days_ago: int) -> None:
    FollowUp.objects.create(
        customer=customer, author=author, contacted_at=timezone.now() - dt.timedelta(days=days_ago),
        channel="phone", key_points="回访",
    )
    cadence_refresh(customer_ids=[customer.pk])


# --- who may receive -------------------------------------------------------------------------------------------


def test_receivers_are_the_people_the_user_manages_never_themselves_nor_the_owner(actors):
    assert set(pool.receivers(actors.lead_a)) == {actors.rep_a1, actors.rep_a2}
    assert set(pool.receivers(actors.lead_a, owner_id=actors.rep_a1.pk)) == {actors.rep_a2}
    assert set(pool.receivers(actors.director)) == {
        actors.lead_a, actors.rep_a1, actors.rep_a2, actors.lead_b, actors.rep_b1
    }
    assert actors.rep_c1 in pool.receivers(actors.admin)
    assert actors.admin not in pool.receivers(actors.admin)


def test_a_lead_cannot_give_a_customer_to_themselves(actors):
    customer = make_customer("一号", actors.rep_a1)
    with pytest.raises(Invalid) as caught:
        pool.customer_transfer(customers=[customer], to_user=actors.lead_a, by=actors.lead_a, reason="我来跟")
    assert list(caught.value.message_dict) == ["to_user"]
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


# --- history: the reason, and nothing that did not change ----------------------------------------------------------


def test_the_reason_typed_is_kept_whole_in_the_history(actors, api_as):
    customer = make_customer("合肥科大讯联", actors.rep_a1)
    long_reason = REASON + "。" + "交接说明" * 40  # 200 characters, the most a reason may have
    long_reason = long_reason[: pool.REASON_MAX]
    pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason=long_reason)
    rows = api_as(actors.lead_a).get(f"/api/customers/{customer.pk}/history/").json()["results"]
    owner = next(row for row in rows if row["field"] == "owner")
    assert (owner["old"], owner["new"], owner["by"], owner["reason"]) == ("张伟", "李娜", "陈组长", long_reason)


def test_a_transfer_of_a_demo_customer_records_only_the_change_of_owner(db):
    """The demo's graded customers: the history's first version holds their grade dates, so the versions
    after it (a tag, a transfer) show no "graded at — → ..." nobody made."""
    assert load_demo(progress=False)
    customer = Customer.objects.filter(grade__in=[Grade.A, Grade.B], owner__isnull=False).order_by("pk").first()
    assert customer is not None and customer.graded_at is not None
    owner = customer.owner
    assert owner is not None
    lead = User.objects.get(role=Role.LEAD, team=owner.team)
    receiver = User.objects.filter(role=Role.REP, team=owner.team, is_active=True).exclude(pk=owner.pk).first()
    assert receiver is not None
    before = {(c.field, c.at) for c in selectors.customer_changes(customer=customer)}
    assert not {field for field, _ in before} & {"graded_at", "intent_at"}
    pool.customer_transfer(customers=[customer], to_user=receiver, by=lead, reason=REASON)
    new = [c for c in selectors.customer_changes(customer=customer) if (c.field, c.at) not in before]
    assert [(c.field, c.old, c.new, c.reason) for c in new] == [("owner", str(owner), str(receiver), REASON)]


# --- the due date (R10) ---------------------------------------------------------------------------------------------


def test_an_overdue_customer_is_due_the_day_it_is_handed_over(actors, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY)
    customer = make_customer("久未跟进", actors.rep_a1, grade=Grade.B)
    followed_up(customer, actors.rep_a1, days_ago=30)
    customer.refresh_from_db()
    assert CadenceStatus.of(customer.next_due_at, WEDNESDAY.date()) == CadenceStatus.OVERDUE
    pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason=REASON)
    customer.refresh_from_db()
    assert customer.next_due_at == WEDNESDAY.date()
    assert Customer.objects.with_cadence_status(WEDNESDAY.date()).get(pk=customer.pk).cadence_status == "due_today"
    cadence_refresh(customer_ids=[customer.pk])  # the nightly recompute keeps it
    customer.refresh_from_db()
    assert customer.next_due_at == WEDNESDAY.date()


def test_a_customer_not_yet_due_keeps_its_due_date(actors, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY)
    customer = make_customer("刚跟进", actors.rep_a1, grade=Grade.B)
    followed_up(customer, actors.rep_a1, days_ago=1)
    customer.refresh_from_db()
    due = customer.next_due_at
    tuesday = WEDNESDAY.date() - dt.timedelta(days=1)
    assert due == work_calendar().next_workday(tuesday, rule_settings().cadence_b_days) > WEDNESDAY.date()
    pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason=REASON)
    customer.refresh_from_db()
    assert customer.next_due_at == due


def test_a_transfer_on_a_day_off_is_due_the_next_working_day(actors, monkeypatch):
    saturday = WEDNESDAY + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: saturday)
    customer = make_customer("周末交接", actors.rep_a1, grade=Grade.A)
    followed_up(customer, actors.rep_a1, days_ago=20)
    pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.lead_a, reason=REASON)
    customer.refresh_from_db()
    assert customer.next_due_at == dt.date(2026, 3, 9)  # Monday


# --- the new owner is told --------------------------------------------------------------------------------------


def test_the_new_owner_is_told_with_the_reason_and_a_link(actors, api_as, django_capture_on_commit_callbacks):
    customer = make_customer("星海贸易", actors.rep_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(actors.lead_a).post(
            "/api/customers/transfer/", {"customers": [customer.pk], "to_user": actors.rep_a2.pk, "reason": REASON},
            format="json",
        )
    assert response.status_code == 200
    assert [row["owner"] for row in response.json()] == [actors.rep_a2.pk]
    told = Notification.objects.get(user=actors.rep_a2, kind="customers_transferred")
    assert "星海贸易" in told.body and REASON in told.body
    assert told.url == f"/customers/{customer.pk}/"
    assert not Notification.objects.filter(user=actors.rep_a1).exists()


# --- pages ----------------------------------------------------------------------------------------------------------


def test_the_customer_page_transfers_with_the_reason(actors, client):
    customer = make_customer("星海贸易", actors.rep_a1)
    client.force_login(actors.lead_a)
    detail = client.get(f"/customers/{customer.pk}/").content.decode()
    assert f'href="/customers/{customer.pk}/transfer/"' in detail
    body = client.get(f"/customers/{customer.pk}/transfer/").content.decode()
    assert f'<option value="{actors.rep_a2.pk}">' in body
    assert f'<option value="{actors.rep_a1.pk}"' not in body  # the current owner
    assert f'<option value="{actors.lead_a.pk}"' not in body  # oneself
    response = client.post(f"/customers/{customer.pk}/transfer/", {"to_user": actors.rep_a2.pk, "reason": " "})
    assert response.status_code == 400
    assert 'data-testid="error-reason"' in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk
    response = client.post(
        f"/customers/{customer.pk}/transfer/", {"to_user": actors.rep_a2.pk, "reason": REASON}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/"
    assert "1 customer now belongs to 李娜." in page
    assert REASON in page  # the timeline's change of owner, with its reason
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk


def test_the_customer_page_offers_no_transfer_to_reps(actors, client):
    customer = make_customer("星海贸易", actors.rep_a1)
    client.force_login(actors.rep_a1)
    assert "/transfer/" not in client.get(f"/customers/{customer.pk}/").content.decode()
    assert client.get(f"/customers/{customer.pk}/transfer/").status_code == 403
    response = client.post(f"/customers/{customer.pk}/transfer/", {"to_user": actors.rep_a2.pk, "reason": REASON})
    assert response.status_code == 403
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_the_list_filters_by_owner_grade_and_overdue_and_moves_all_that_match(actors, client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY)
    late = [make_customer(f"逾期B{n}", actors.rep_a1, grade=Grade.B) for n in range(3)]
    for customer in late:
        followed_up(customer, actors.rep_a1, days_ago=30)
    fresh = make_customer("刚跟进B", actors.rep_a1, grade=Grade.B)
    followed_up(fresh, actors.rep_a1, days_ago=0)
    other_grade = make_customer("逾期C", actors.rep_a1, grade=Grade.C)
    followed_up(other_grade, actors.rep_a1, days_ago=60)
    teammate = make_customer("李娜的逾期B", actors.rep_a2, grade=Grade.B)
    followed_up(teammate, actors.rep_a2, days_ago=30)
    client.force_login(actors.lead_a)
    query = f"owner={actors.rep_a1.pk}&grade=B&overdue=true"
    body = client.get(f"/customers/transfer/?{query}").content.decode()
    assert all(customer.name in body for customer in late)
    assert not any(name in body for name in ("刚跟进B", "逾期C", "李娜的逾期B"))
    assert "All 3 customers matching the filters" in body
    assert f'<option value="{actors.rep_a1.pk}">' not in body.split('name="to_user"')[1]  # the filtered owner
    response = client.post(
        f"/customers/transfer/?{query}", {"all": "on", "to_user": actors.rep_a2.pk, "reason": REASON}, follow=True
    )
    assert "3 customers now belong to 李娜." in response.content.decode()
    owners = dict(Customer.objects.values_list("name", "owner_id"))
    assert {name for name, owner in owners.items() if owner == actors.rep_a2.pk} == {
        *(customer.name for customer in late), "李娜的逾期B"
    }
    assert owners["刚跟进B"] == owners["逾期C"] == actors.rep_a1.pk


def test_the_list_moves_the_rows_ticked_and_refuses_a_row_out_of_scope(actors, client):
    first, second = make_customer("甲", actors.rep_a1), make_customer("乙", actors.rep_a1)
    theirs = make_customer("丙", actors.rep_b1)
    client.force_login(actors.lead_a)
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk, theirs.pk], "to_user": actors.rep_a2.pk, "reason": "交接"}
    )
    assert response.status_code == 404
    response = client.post("/customers/transfer/", {"to_user": actors.rep_a2.pk, "reason": "交接"})
    assert response.status_code == 400
    assert "Choose at least one customer." in response.content.decode()
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk], "to_user": actors.rep_a2.pk, "reason": "交接"}
    )
    assert response.status_code == 302
    owners = dict(Customer.objects.values_list("pk", "owner_id"))
    assert (owners[first.pk], owners[second.pk], owners[theirs.pk]) == (
        actors.rep_a2.pk, actors.rep_a1.pk, actors.rep_b1.pk
    )
