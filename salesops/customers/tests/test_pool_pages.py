"""Pages of the pool (R15): the list with filters, claiming with htmx (clear messages for the cap and for
someone faster), and a lead's transfer form (R1 scope)."""

from __future__ import annotations

import pytest
from django.utils import translation

from salesops.customers.models import Customer, Grade
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(actors):
    for person in actors.all_people().values():
        person.language = "en"
        person.save()
    with translation.override("en"):
        yield


def make_customer(name: str, owner=None, grade=Grade.B, industry="制造业") -> Customer:
    return Customer.objects.create(name=name, name_key=name, owner=owner, grade=grade, industry=industry)


def test_pool_lists_only_pool_customers_with_filters(actors, client, django_assert_max_num_queries):
    for n in range(25):
        make_customer(f"池客户{n:02d}", grade=Grade.A if n % 2 else Grade.C)
    make_customer("有主客户", owner=actors.rep_a2)
    client.force_login(actors.rep_a1)
    with django_assert_max_num_queries(15):
        body = client.get("/pool/").content.decode()
    assert "25 customers in the pool" in body
    assert "有主客户" not in body
    assert body.count('data-testid="claim-') == 20  # one page
    body = client.get("/pool/", {"grade": "A"}).content.decode()
    assert "12 customers in the pool" in body
    assert "池客户01" in body and "池客户02" not in body
    assert "13 customers in the pool" in client.get("/pool/", {"grade": "C", "industry": "制造业"}).content.decode()
    assert "0 customers in the pool" in client.get("/pool/", {"industry": "零售"}).content.decode()


def test_claim_with_htmx_returns_the_item_with_the_outcome(actors, client):
    customer = make_customer("星海贸易")
    client.force_login(actors.rep_a1)
    response = client.post(f"/pool/{customer.pk}/claim/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-testid="claim-done"' in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_someone_faster_is_said_clearly(actors, client):
    customer = make_customer("星海贸易")
    client.force_login(actors.lead_a)
    Customer.objects.filter(pk=customer.pk).update(owner=actors.rep_a2)
    response = client.post(f"/pool/{customer.pk}/claim/", headers={"HX-Request": "true"})
    assert "Someone else has just claimed this customer." in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk


def test_cap_reached_is_said_clearly_without_htmx_too(actors, client):
    settings = rule_settings()
    settings.pool_claim_cap = 1
    settings.save()
    first, second = make_customer("甲"), make_customer("乙")
    client.force_login(actors.rep_a1)
    client.post(f"/pool/{first.pk}/claim/")
    response = client.post(f"/pool/{second.pk}/claim/", follow=True)
    body = response.content.decode()
    assert "You have claimed 1 customers from the pool this month, the most allowed." in body
    assert "You have claimed 1 of 1 customers allowed this month." in body
    assert Customer.objects.get(pk=second.pk).owner_id is None


def test_release_page_action(actors, client):
    customer = make_customer("甲", owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    response = client.post(f"/customers/{customer.pk}/release/", {"reason": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk
    client.post(f"/customers/{customer.pk}/release/", {"reason": "无需求", "next": "https://evil.example/"})
    assert Customer.objects.get(pk=customer.pk).owner_id is None
    other = make_customer("乙", owner=actors.rep_a2)
    assert client.post(f"/customers/{other.pk}/release/", {"reason": "x"}).status_code == 404


def test_transfer_form_for_a_lead(actors, client):
    first, second = make_customer("甲", owner=actors.rep_a1), make_customer("乙", owner=actors.rep_a1)
    theirs = make_customer("丙", owner=actors.rep_b1)
    client.force_login(actors.lead_a)
    body = client.get("/customers/transfer/").content.decode()
    assert "甲" in body and "乙" in body and "丙" not in body
    assert f'value="{actors.rep_b1.pk}"' not in body  # nobody of another team to choose
    response = client.post(
        "/customers/transfer/",
        {"customers": [first.pk, theirs.pk], "to_user": actors.rep_a2.pk, "reason": "交接"},
    )
    assert response.status_code == 404  # a customer out of scope (R1)
    assert Customer.objects.get(pk=first.pk).owner_id == actors.rep_a1.pk
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk, second.pk], "to_user": actors.rep_b1.pk, "reason": "交接"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-to_user"' in response.content.decode()
    response = client.post(
        "/customers/transfer/", {"customers": [first.pk, second.pk], "to_user": actors.rep_a2.pk, "reason": "交接"},
        follow=True,
    )
    assert "2 customers now belong to" in response.content.decode()
    assert set(Customer.objects.filter(pk__in=[first.pk, second.pk]).values_list("owner_id", flat=True)) == {
        actors.rep_a2.pk
    }


def test_transfer_form_is_not_for_reps(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get("/customers/transfer/").status_code == 403
