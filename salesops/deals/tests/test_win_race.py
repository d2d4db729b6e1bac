"""R13 "winning a deal twice or two people winning it at once: one wins, the other 409", for real: two
threads on their own connections released together; also two deals of one customer won at once (R14)."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.deals.models import Contract, Deal, DealStatus
from salesops.deals.winning import deal_win
from salesops.tasks.models import Task
from salesops.testing.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]
SIGNED = dt.date(2026, 11, 2)


def test_two_wins_of_one_deal_at_once_make_one_contract(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    copies = [Deal.objects.get(pk=deal.pk) for _ in range(2)]
    outcomes = race(
        lambda: deal_win(deal=copies[0], by=actors.rep_a1, signed_at=SIGNED, amount="10.00"),
        lambda: deal_win(deal=copies[1], by=actors.lead_a, signed_at=SIGNED, amount="20.00"),
    )
    assert sorted(outcomes) == ["deal_won", "ok"]
    assert Contract.objects.filter(deal=deal).count() == 1
    assert Task.objects.filter(deal=deal).count() == 4


def test_two_deals_won_at_once_take_two_numbers_and_one_is_the_repurchase(actors, deal_of, customer_of):
    customer = customer_of(actors.rep_a1)
    deals = [deal_of(actors.rep_a1, customer=customer) for _ in range(2)]
    outcomes = race(*(lambda d=d: deal_win(deal=d, by=actors.rep_a1, signed_at=SIGNED, amount="1.00") for d in deals))
    assert outcomes == ["ok", "ok"]
    assert sorted(Contract.objects.values_list("number", flat=True)) == ["HT-2026-00001", "HT-2026-00002"]
    marks = sorted(Deal.objects.filter(status=DealStatus.WON).values_list("is_repurchase", flat=True))
    assert marks == [False, True]
