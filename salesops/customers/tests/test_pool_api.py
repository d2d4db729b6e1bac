"""R15 over the API: claim, release, transfer and reassign, with R1 scope (404 outside it, nothing moved),
the error shape of API.md and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from salesops.customers.models import Customer, Grade, OwnershipEvent
from salesops.organisation.selectors import rule_settings


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English wording of messages (the zh-Hans catalogue is checked elsewhere)."""
    settings.LANGUAGE_CODE = "en"


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_customer(name: str, owner=None) -> Customer:
    return Customer.objects.create(name=name, name_key=name, owner=owner, grade=Grade.B)


def owners() -> dict[str, int | None]:
    return dict(Customer.objects.values_list("name", "owner_id"))


def test_claim_returns_the_customer_now_owned(actors, api_as, monkeypatch):
    wednesday = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))  # a working day
    monkeypatch.setattr(timezone, "now", lambda: wednesday)
    customer = make_customer("星海贸易")
    response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/claim/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["owner"], body["pooled_at"]) == (customer.pk, actors.rep_a1.pk, None)
    assert body["next_due_at"] == "2026-03-06"  # R10: B, 2 working days after the claim


LOST_RACE = {"error": {"code": "already_claimed", "message": "Someone else has just claimed this customer.",
                       "fields": {}}}


def test_claim_of_a_claimed_customer_is_409_already_claimed(actors, api_as):
    customer = make_customer("星海贸易")
    api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/claim/")
    # R15: the loser of a claim hears that it lost, even now that the customer is outside their scope,
    # and nothing about who won (no name, no id, no customer fields)
    for loser in (actors.rep_b1, actors.rep_c1, actors.lead_a):
        response = api_as(loser).post(f"/api/customers/{customer.pk}/claim/")
        assert (response.status_code, response.json()) == (409, LOST_RACE)
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_claim_of_a_customer_that_never_left_the_pool_by_a_claim_stays_404_outside_the_scope(actors, api_as):
    """R1: only a pool customer someone claimed answers 409 to all; an owned one out of scope is not there."""
    owned = make_customer("华南独有", owner=actors.rep_c1)
    claimed = make_customer("先领后转")
    api_as(actors.rep_c1).post(f"/api/customers/{claimed.pk}/claim/")
    # then given to the team's lead: its last move is a transfer, no longer a claim
    Customer.objects.filter(pk=claimed.pk).update(owner=actors.lead_c)
    OwnershipEvent.objects.create(customer=claimed, kind=OwnershipEvent.Kind.TRANSFER, from_user=actors.rep_c1,
                                  to_user=actors.lead_c, by=actors.lead_c, reason="组长跟进")
    for customer in (owned, claimed):
        response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/claim/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    missing = max(owned.pk, claimed.pk) + 1
    assert api_as(actors.rep_a1).post(f"/api/customers/{missing}/claim/").status_code == 404


def test_claim_over_the_cap_is_409_with_a_clear_message(actors, api_as):
    settings = rule_settings()
    settings.pool_claim_cap = 1
    settings.save()
    first, second = make_customer("甲"), make_customer("乙")
    client = api_as(actors.rep_a1)
    assert client.post(f"/api/customers/{first.pk}/claim/").status_code == 200
    response = client.post(f"/api/customers/{second.pk}/claim/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "claim_cap_reached"
    assert response.json()["error"]["message"].startswith("You have claimed 1 customers from the pool this month")
    assert owners() == {"甲": actors.rep_a1.pk, "乙": None}


def test_director_may_not_claim(actors, api_as):
    customer = make_customer("甲")
    response = api_as(actors.director).post(f"/api/customers/{customer.pk}/claim/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_claim_of_an_unknown_id_is_404(actors, api_as, pk):
    assert api_as(actors.rep_a1).post(f"/api/customers/{pk}/claim/").status_code == 404


def test_release_needs_a_reason(actors, api_as):
    customer = make_customer("甲", owner=actors.rep_a1)
    response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/release/", {}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["reason"]
    response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/release/", {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert owners() == {"甲": actors.rep_a1.pk}


def test_owner_releases(actors, api_as):
    customer = make_customer("甲", owner=actors.rep_a1)
    response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/release/", {"reason": "无需求"}, format="json")
    assert response.status_code == 200
    assert response.json()["owner"] is None
    assert OwnershipEvent.objects.get().reason == "无需求"


def test_a_rep_cannot_release_another_reps_customer(actors, api_as):
    customer = make_customer("甲", owner=actors.rep_a2)
    response = api_as(actors.rep_a1).post(f"/api/customers/{customer.pk}/release/", {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert owners() == {"甲": actors.rep_a2.pk}


def test_transfer_within_the_team(actors, api_as):
    first, second = make_customer("甲", owner=actors.rep_a1), make_customer("乙", owner=actors.rep_a1)
    response = api_as(actors.lead_a).post(
        "/api/customers/transfer/",
        {"customers": [first.pk, second.pk], "to_user": actors.rep_a2.pk, "reason": "交接"}, format="json",
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == sorted([first.pk, second.pk])
    assert owners() == {"甲": actors.rep_a2.pk, "乙": actors.rep_a2.pk}


def test_transfer_with_one_id_outside_the_scope_moves_nothing(actors, api_as):
    mine, theirs = make_customer("甲", owner=actors.rep_a1), make_customer("乙", owner=actors.rep_b1)
    response = api_as(actors.lead_a).post(
        "/api/customers/transfer/",
        {"customers": [mine.pk, theirs.pk], "to_user": actors.rep_a2.pk, "reason": "交接"}, format="json",
    )
    assert response.status_code == 404
    assert owners() == {"甲": actors.rep_a1.pk, "乙": actors.rep_b1.pk}
    assert not OwnershipEvent.objects.exists()


def test_lead_cannot_transfer_to_a_rep_of_another_team(actors, api_as):
    mine = make_customer("甲", owner=actors.rep_a1)
    response = api_as(actors.lead_a).post(
        "/api/customers/transfer/", {"customers": [mine.pk], "to_user": actors.rep_b1.pk, "reason": "交接"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["to_user"]
    assert owners() == {"甲": actors.rep_a1.pk}


@pytest.mark.parametrize("body", [
    {},
    {"customers": [], "to_user": 1, "reason": "x"},
    {"customers": ["a"], "to_user": 1, "reason": "x"},
    {"customers": [99999999999999999999], "to_user": 1, "reason": "x"},
    {"customers": [1], "to_user": "x", "reason": "x"},
    {"customers": [1], "to_user": 1, "reason": ""},
])
def test_transfer_bad_input_is_400(actors, api_as, body):
    make_customer("甲", owner=actors.rep_a1)
    response = api_as(actors.lead_a).post("/api/customers/transfer/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert owners() == {"甲": actors.rep_a1.pk}


def test_reps_may_not_transfer(actors, api_as):
    mine = make_customer("甲", owner=actors.rep_a1)
    response = api_as(actors.rep_a1).post(
        "/api/customers/transfer/", {"customers": [mine.pk], "to_user": actors.rep_a2.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert owners() == {"甲": actors.rep_a1.pk}


def test_reassign_all_of_a_leaver(actors, api_as):
    for name in ("甲", "乙"):
        make_customer(name, owner=actors.rep_a1)
    make_customer("丙", owner=actors.rep_b1)
    response = api_as(actors.lead_a).post(
        f"/api/users/{actors.rep_a1.pk}/reassign/", {"to_user": actors.rep_a2.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"moved": 2}
    assert owners() == {"甲": actors.rep_a2.pk, "乙": actors.rep_a2.pk, "丙": actors.rep_b1.pk}


def test_reassign_outside_the_scope_is_404_and_for_reps_403(actors, api_as):
    make_customer("丙", owner=actors.rep_b1)
    response = api_as(actors.lead_a).post(
        f"/api/users/{actors.rep_b1.pk}/reassign/", {"to_user": actors.rep_a2.pk}, format="json"
    )
    assert response.status_code == 404
    response = api_as(actors.rep_a2).post(
        f"/api/users/{actors.rep_a1.pk}/reassign/", {"to_user": actors.rep_a2.pk}, format="json"
    )
    assert response.status_code == 403
    response = api_as(actors.lead_a).post(
        f"/api/users/{actors.rep_a1.pk}/reassign/", {"to_user": actors.rep_b1.pk}, format="json"
    )
    assert response.status_code == 400
    assert owners() == {"丙": actors.rep_b1.pk}


def test_schema_describes_the_ownership_endpoints(org, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    claim = paths["/api/customers/{id}/claim/"]["post"]
    assert set(claim["responses"]) == {"200", "400", "401", "403", "404", "409", "413"}
    transfer = paths["/api/customers/transfer/"]["post"]
    body = transfer["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][body]["required"]) == {"customers", "to_user", "reason"}
    assert "/api/users/{id}/reassign/" in paths
    assert "/api/customers/{id}/release/" in paths
