"""R1 for customers: a rep sees own customers and the pool, a lead the team and the pool, the director
the teams directed and the pool, the admin all; anything outside answers 404 on every path."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]


@pytest.fixture
def book(actors: Actors) -> dict[str, Customer]:
    return {
        "a1": services.customer_create(by=actors.rep_a1, name="甲一客户", contacts=[{"name": "甲一联系人"}]),
        "a2": services.customer_create(by=actors.rep_a2, name="甲二客户"),
        "b1": services.customer_create(by=actors.rep_b1, name="乙一客户"),
        "c1": services.customer_create(by=actors.rep_c1, name="丙一客户"),
        "pool": services.customer_create(by=actors.admin, name="公海客户", owner=None),
    }


EXPECTED = {
    "rep_a1": {"a1", "pool"},
    "rep_a2": {"a2", "pool"},
    "lead_a": {"a1", "a2", "pool"},
    "lead_b": {"b1", "pool"},
    "rep_c1": {"c1", "pool"},
    "lead_c": {"c1", "pool"},
    "director": {"a1", "a2", "b1", "pool"},
    "admin": {"a1", "a2", "b1", "c1", "pool"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_list_detail_history_contacts_follow_the_scope(
    actors: Actors, api_as: ApiAs, book: dict[str, Customer], who: str
) -> None:
    client = api_as(getattr(actors, who))
    names = {customer.pk: key for key, customer in book.items()}
    owned = {names[row["id"]] for row in client.get(URL).json()["results"]}
    pool = {names[row["id"]] for row in client.get(URL + "?pool=true").json()["results"]}

    def finds(customer: Customer, pool_view: str) -> bool:
        rows = client.get(URL, {"q": customer.name, "pool": pool_view}).json()["results"]
        return customer.pk in {row["id"] for row in rows}

    found = {key for key, customer in book.items() for pool_view in ("false", "true") if finds(customer, pool_view)}
    assert owned == EXPECTED[who] - {"pool"}  # the list shows the owned part of the scope by default (R15)
    assert pool == {"pool"}
    assert found == EXPECTED[who]  # search never reaches past the scope, in either view
    for key, customer in book.items():
        expected = 200 if key in EXPECTED[who] else 404
        for path in ("", "history/", "contacts/"):
            assert client.get(f"{URL}{customer.pk}/{path}").status_code == expected, (who, key, path)


@pytest.mark.django_db
def test_writes_outside_the_scope_are_404_and_change_nothing(
    actors: Actors, api_as: ApiAs, book: dict[str, Customer]
) -> None:
    client = api_as(actors.rep_a1)
    target = book["b1"]
    assert client.patch(f"{URL}{target.pk}/", {"industry": "零售"}, format="json").status_code == 404
    assert client.post(f"{URL}{target.pk}/deactivate/").status_code == 404
    assert client.post(f"{URL}{target.pk}/contacts/", {"name": "外人"}, format="json").status_code == 404
    lead = api_as(actors.lead_a)
    assert lead.post(f"{URL}{book['a1'].pk}/merge/", {"other": target.pk}, format="json").status_code == 404
    target.refresh_from_db()
    assert (target.industry, target.is_active, target.contacts.count()) == ("", True, 0)
    assert book["a1"].is_active


@pytest.mark.django_db
def test_search_never_reaches_outside_the_scope(actors: Actors, api_as: ApiAs, book: dict[str, Customer]) -> None:
    found = api_as(actors.rep_a1).get(URL, {"q": "乙一"}).json()
    assert found["count"] == 0
    assert api_as(actors.director).get(URL, {"q": "乙一"}).json()["count"] == 1


@pytest.mark.django_db
def test_anonymous_gets_401(api_as: ApiAs, org: object) -> None:
    assert api_as(None).get(URL).status_code == 401


@pytest.mark.django_db
def test_huge_or_odd_ids_are_404_not_500(actors: Actors, api_as: ApiAs, book: dict[str, Customer]) -> None:
    client = api_as(actors.admin)
    for path in ("99999999999999999999999/", "abc/", "9223372036854775807/history/"):
        assert client.get(URL + path).status_code == 404, path
