"""R21 figures of won deals, computed by hand: sales amount, deals, conversion rate and repurchase rate per
person, team and organisation, attributed to the owner and team when the deal was won."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.deals.models import DealStatus
from salesops.followups.models import FollowUp
from salesops.performance.engine import Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period
from salesops.testing.money_factories import make_deal

pytestmark = pytest.mark.django_db
MARCH = Period.parse("2026-03")
NAMES = ["sales_amount", "deals", "conversion_rate", "repurchase_rate"]


def customer(owner, name):
    return Customer.objects.create(name=name, name_key=name, owner=owner)


@pytest.fixture
def book(actors):
    """X: rep_a1's since January, signed again in March; Y: rep_a1's since February, nothing in March;
    Z: new, rep_a2 signs it twice in March; W: rep_b1's since December, signed again on 31 March.
    Outside the figures: a deal signed in April, a lost deal, rep_c1's earlier deal."""
    x, y, z, w = (customer(actors.rep_a1, "X"), customer(actors.rep_a1, "Y"), customer(actors.rep_a2, "Z"),
                  customer(actors.rep_b1, "W"))
    make_deal(actors.rep_a1, customer=x, amount="100.00", signed_at=dt.date(2026, 1, 10))
    make_deal(actors.rep_a1, customer=x, amount="250.50", signed_at=dt.date(2026, 3, 5))
    make_deal(actors.rep_a1, customer=y, amount="10.00", signed_at=dt.date(2026, 2, 28))
    make_deal(actors.rep_a2, customer=z, amount="1000.00", signed_at=dt.date(2026, 3, 1))
    make_deal(actors.rep_a2, customer=z, amount="99.99", signed_at=dt.date(2026, 3, 25))
    make_deal(actors.rep_b1, customer=w, amount="5.00", signed_at=dt.date(2025, 12, 1))
    make_deal(actors.rep_b1, customer=w, amount="0.01", signed_at=dt.date(2026, 3, 31))
    make_deal(actors.rep_a1, customer=y, amount="7.00", signed_at=dt.date(2026, 4, 1))
    lost = make_deal(actors.rep_a1, customer=y, amount="9.00", signed_at=dt.date(2026, 3, 9))
    lost.status = DealStatus.LOST
    lost.save()
    make_deal(actors.rep_c1, customer=customer(actors.rep_c1, "V"), amount="3.00", signed_at=dt.date(2026, 1, 2))

    def followed(who, target):
        FollowUp.objects.create(customer=target, author=who, channel="phone", key_points="x",
                                contacted_at=timezone.make_aware(dt.datetime(2026, 3, 10, 10)))

    q = customer(actors.rep_a1, "Q")
    for target in (x, y, q):
        followed(actors.rep_a1, target)
    followed(actors.lead_a, x)  # X again, by the lead: once for the team
    followed(actors.rep_a2, z)
    return {"x": x, "z": z}


def test_sales_amount_and_deals_per_person_team_and_org(actors, book):
    people = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk],
                         period=MARCH, metrics=NAMES)
    assert people[actors.rep_a1.pk]["sales_amount"] == Decimal("250.50")
    assert people[actors.rep_a2.pk]["sales_amount"] == Decimal("1099.99")
    assert people[actors.rep_b1.pk]["sales_amount"] == Decimal("0.01")
    assert [people[pk]["deals"] for pk in (actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk)] == [1, 2, 1]
    team_a = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=NAMES)
    assert (team_a["sales_amount"], team_a["deals"]) == (Decimal("1350.49"), 3)
    org = figures(subject=Subject.org(), period=MARCH, metrics=NAMES)
    assert (org["sales_amount"], org["deals"]) == (Decimal("1350.50"), 4)
    assert isinstance(org["sales_amount"], Decimal)


def test_the_repurchase_rate_counts_customers_with_an_earlier_deal(actors, book):
    # earlier deals: X, Y (rep_a1), W (rep_b1), V (rep_c1); signed again in March: X, W
    people = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk],
                         period=MARCH, metrics=["repurchase_rate"])
    assert people[actors.rep_a1.pk]["repurchase_rate"] == 0.5
    assert people[actors.rep_b1.pk]["repurchase_rate"] == 1.0
    assert people[actors.rep_a2.pk]["repurchase_rate"] is None  # no customer with an earlier deal: no figure
    assert figures(subject=Subject.team(actors.team_a.pk), period=MARCH)["repurchase_rate"] == 0.5
    assert figures(subject=Subject.org(), period=MARCH)["repurchase_rate"] == 2 / 4


def test_the_conversion_rate_is_signing_customers_over_customers_followed_up(actors, book):
    people = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.rep_a2.pk], period=MARCH,
                         metrics=["conversion_rate"])
    assert people[actors.rep_a1.pk]["conversion_rate"] == 1 / 3  # X of X, Y, Q
    assert people[actors.rep_a2.pk]["conversion_rate"] == 1.0  # Z (twice) of Z
    # team A: X and Z signed; X, Y, Q, Z followed up (X by the rep and the lead counts once)
    assert figures(subject=Subject.team(actors.team_a.pk), period=MARCH)["conversion_rate"] == 0.5


def test_a_deal_counts_for_who_won_it_even_after_the_customer_moved(actors, book):
    book["z"].owner = actors.rep_b1
    book["z"].save()
    assert figures(subject=Subject.person(actors.rep_a2.pk), period=MARCH)["sales_amount"] == Decimal("1099.99")
    assert figures(subject=Subject.person(actors.rep_b1.pk), period=MARCH)["sales_amount"] == Decimal("0.01")
