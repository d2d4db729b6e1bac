"""R15 merge: two records of one company become one; follow-ups, contacts, ownership events and tags move
to the survivor, the other stays (inactive, merged_into) and every move keeps its history (R12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer, OwnershipEvent
from salesops.followups.models import Channel, FollowUp
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


def followup(customer: Customer, author: User, days_ago: int) -> FollowUp:
    return FollowUp.objects.create(
        customer=customer, author=author, channel=Channel.PHONE, key_points="询价",
        contacted_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def pair(actors: Actors) -> tuple[Customer, Customer]:
    survivor = services.customer_create(by=actors.rep_a1, name="青岛海景酒店", tags=["重点"], phone="")
    other = services.customer_create(
        by=actors.rep_a2, name="青岛海景大酒店", tags=["展会线索"], phone="0532-8888 1234", industry="酒店",
        contacts=[{"name": "冯经理", "phone": "13700001111"}],
    )
    followup(survivor, actors.rep_a1, 3)
    followup(other, actors.rep_a2, 1)
    followup(other, actors.rep_a2, 2)
    return survivor, other


@pytest.mark.django_db
def test_lead_merges_and_everything_moves(actors: Actors, api_as: ApiAs, pair: tuple[Customer, Customer]) -> None:
    survivor, other = pair
    response = api_as(actors.lead_a).post(f"{URL}{survivor.pk}/merge/", {"other": other.pk}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["id"] == survivor.pk
    assert data["tags"] == ["展会线索", "重点"]
    assert [c["name"] for c in data["contacts"]] == ["冯经理"]
    assert (data["phone"], data["industry"]) == ("0532-8888 1234", "酒店")  # blanks filled from the other
    assert FollowUp.objects.filter(customer=survivor).count() == 3
    assert FollowUp.objects.filter(customer=other).count() == 0
    other.refresh_from_db()
    assert (other.is_active, other.merged_into_id) == (False, survivor.pk)
    kinds = list(OwnershipEvent.objects.filter(customer=survivor).values_list("kind", flat=True).order_by("id"))
    assert kinds == ["create", "create", "merge"]
    assert not OwnershipEvent.objects.filter(customer=other).exists()
    moved = FollowUp.objects.filter(customer=survivor, author=actors.rep_a2).first()
    assert moved is not None
    last = moved.history.first()
    assert (last.history_user, last.customer_id) == (actors.lead_a, survivor.pk)
    assert moved.history.last().customer_id == other.pk  # the old value is kept
    assert other.history.first().history_user == actors.lead_a
    # The merged-away record leaves the lists; its search words go with the survivor's phone.
    listed = {row["id"] for row in api_as(actors.lead_a).get(URL, {"q": "05328888"}).json()["results"]}
    assert listed == {survivor.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["rep_a1", "rep_a2"])
def test_reps_may_not_merge(actors: Actors, api_as: ApiAs, pair: tuple[Customer, Customer], who: str) -> None:
    survivor, other = pair
    response = api_as(getattr(actors, who)).post(f"{URL}{survivor.pk}/merge/", {"other": other.pk}, format="json")
    assert response.status_code == 403
    other.refresh_from_db()
    assert (other.is_active, FollowUp.objects.filter(customer=other).count()) == (True, 2)


@pytest.mark.django_db
def test_bad_merges_are_refused(actors: Actors, api_as: ApiAs, pair: tuple[Customer, Customer]) -> None:
    survivor, other = pair
    client = api_as(actors.admin)
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": survivor.pk}, format="json").status_code == 400
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": "x"}, format="json").status_code == 400
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": 10**30}, format="json").status_code == 400
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": 987654}, format="json").status_code == 404
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": other.pk}, format="json").status_code == 200
    # Merging the merged-away record again: it is inactive now, a field error.
    assert client.post(f"{URL}{survivor.pk}/merge/", {"other": other.pk}, format="json").status_code == 400
    assert FollowUp.objects.filter(customer=survivor).count() == 3
