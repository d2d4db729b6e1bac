"""The hot deal pages read a fixed number of queries whatever the number of rows (the issue: ≤ 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from salesops.deals.models import Stage
from salesops.deals.winning import deal_win

pytestmark = pytest.mark.django_db
LIMIT = 15


def queries(client, path: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured)


def client_of(user, api: bool) -> Client:
    """A fresh client each time: nothing read for an earlier request is cached on its user object."""
    if api:
        api_client = APIClient()
        api_client.force_authenticate(user=type(user).objects.get(pk=user.pk))
        return api_client
    client = Client()
    client.force_login(user)
    return client


def fill(actors, deal_of, n: int) -> None:
    for index in range(n):
        owner = (actors.rep_a1, actors.rep_a2)[index % 2]
        deal = deal_of(owner, stage=list(Stage.values)[index % 4], amount=f"{index + 1}.00")
        if index % 5 == 0:
            deal_win(deal=deal, by=owner, signed_at=dt.date(2026, 9, 30), amount="9.00")


@pytest.mark.parametrize("path", ["/api/deals/", "/api/contracts/", "/deals/", "/deals/board/", "/contracts/"])
def test_a_fixed_number_of_queries_whatever_the_rows(actors, deal_of, path):
    api = path.startswith("/api/")
    fill(actors, deal_of, 6)  # a deal in every stage: the board reads each column's cards
    few = queries(client_of(actors.lead_a, api), path)
    fill(actors, deal_of, 40)
    many = queries(client_of(actors.lead_a, api), path)
    assert few == many <= LIMIT


def test_a_deal_page_reads_a_fixed_number_of_queries(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    deal_win(deal=deal, by=actors.rep_a1, signed_at=dt.date(2026, 9, 30), amount="9.00")
    assert queries(client_of(actors.lead_a, False), f"/deals/{deal.pk}/") <= LIMIT
    assert queries(client_of(actors.lead_a, True), f"/api/deals/{deal.pk}/") <= LIMIT
