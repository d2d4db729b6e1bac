"""A broad customer list counts its matches only up to a cap (``core.paging.COUNT_CAP``): past it, the API
says ``count_capped`` with ``count`` as the lower bound and the page says "More than N customers"; the
order and the paging stay those of the full list (R1 scope and the search as always)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.actors import Actors

URL = "/api/customers/"
ApiAs = Callable[[User | None], APIClient]
pytestmark = pytest.mark.django_db


@pytest.fixture
def many(actors: Actors) -> list[Customer]:
    names = ["杭州禾木新材料", "苏州禾木精密", "宁波禾木电子", "上海禾木物流", "无锡禾木机械", "常州禾木环保",
             "南京禾木软件"]
    made = [services.customer_create(by=actors.rep_a1, name=f"{name}有限公司") for name in names]
    services.customer_create(by=actors.rep_b1, name="嘉兴禾木纺织有限公司")  # another team's: never listed
    return made


def test_the_api_caps_the_count_and_pages_on_in_order(
    actors: Actors, api_as: ApiAs, many: list[Customer], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api_as(actors.lead_a)
    full = client.get(f"{URL}?q={quote('禾木')}&page_size=200").json()
    assert (full["count"], full["count_capped"]) == (7, False)
    monkeypatch.setattr("salesops.core.drf.COUNT_CAP", 3)
    page = client.get(f"{URL}?q={quote('禾木')}&page_size=2").json()
    assert (page["count"], page["count_capped"], len(page["results"])) == (3, True, 2)
    walked = list(page["results"])
    while page["next"]:
        page = client.get(page["next"]).json()
        walked += page["results"]
    assert [row["id"] for row in walked] == [row["id"] for row in full["results"]]
    assert (page["count"], page["count_capped"]) == (7, False)  # the last page counts exactly
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    listed = schema["components"]["schemas"]["PaginatedCustomerList"]
    assert listed["properties"]["count_capped"]["type"] == "boolean"


def test_the_list_page_says_more_than_and_pages_on(
    actors: Actors, many: list[Customer], monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = Client()
    browser.force_login(actors.lead_a)
    monkeypatch.setattr("salesops.customers.views.COUNT_CAP", 3)
    monkeypatch.setattr("salesops.customers.views.PAGE_SIZE", 2)
    first = browser.get(f"/customers/?q={quote('禾木')}").content.decode()
    assert '<p class="muted" data-testid="customer-count">超过 3 个客户' in first
    assert "page=2" in first and "共" not in first[first.index('class="row pager"'):]
    last = browser.get(f"/customers/?q={quote('禾木')}&page=4").content.decode()
    assert '<p class="muted" data-testid="customer-count">7 个客户' in last
    assert "page=3" in last and "page=5" not in last


def test_a_broad_search_finds_the_same_customers_in_the_same_order(
    actors: Actors, api_as: ApiAs, many: list[Customer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search matching many words reads the list in its order (SQLite): the same rows, order and scope."""
    services.customer_update(customer=many[3], by=actors.rep_a1, version=1, industry="物流")  # newest change
    services.customer_create(by=actors.rep_a1, name="杭州星河科技有限公司")  # not found by 禾木
    wanted = {}
    for actor in (actors.rep_a1, actors.lead_a, actors.admin):
        wanted[actor.pk] = [row["id"] for row in api_as(actor).get(f"{URL}?q={quote('禾木')}").json()["results"]]
    monkeypatch.setattr("salesops.customers.selectors.BROAD_SEARCH_WORDS", 1)
    for actor in (actors.rep_a1, actors.lead_a, actors.admin):
        got = [row["id"] for row in api_as(actor).get(f"{URL}?q={quote('禾木')}").json()["results"]]
        assert got == wanted[actor.pk]
    assert wanted[actors.lead_a.pk][0] == many[3].pk and len(wanted[actors.lead_a.pk]) == 7
    assert len(wanted[actors.admin.pk]) == 8
