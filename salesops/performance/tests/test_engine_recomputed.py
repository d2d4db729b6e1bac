"""The engine against a plain-Python recomputation of R21 on random data (hypothesis): follow-ups, customers,
won deals, instalments and receipts credited to random people and teams "as they were then", for every
person, each team, two teams together and the organisation, over days, ISO weeks, months and quarters
crossing month and year ends (and the midnights between them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesops.customers.models import Customer
from salesops.deals.models import Contract, Deal, DealStatus, Instalment, Payment
from salesops.followups.models import FollowUp
from salesops.followups.services import first_visits_refresh
from salesops.performance.engine import Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period, PeriodKind

pytestmark = pytest.mark.django_db
FIRST_DAY = dt.date(2025, 12, 1)
DAYS = 150  # to the end of April 2026: December, the year's end, January, February, March, April
METRICS = [
    "visits", "new_customer_visits", "new_customers", "new_intent_customers", "sales_amount", "deals",
    "conversion_rate", "repurchase_rate", "collections", "collection_rate", "followed_up_customers",
]
RATES = {"conversion_rate", "repurchase_rate", "collection_rate"}

day_numbers = st.integers(min_value=0, max_value=DAYS - 1)
minutes = st.one_of(st.sampled_from([0, 1, 1438, 1439]), st.integers(min_value=0, max_value=1439))
people = st.integers(min_value=0, max_value=3)  # rep_a1, rep_a2, lead_a, rep_b1
teams = st.integers(min_value=0, max_value=1)  # team_a, team_b: whatever the person's team is now
cents = st.integers(min_value=1, max_value=10_000_000)


def day(number: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=number)


def moment(number: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day(number), dt.time(minute // 60, minute % 60)))


@dataclass(frozen=True)
class World:
    customers: list[tuple[Any, ...]]  # (created day, minute, owner|None, team, intent (day, minute)|None, intent
    #                                    owner|None, intent team, active)
    followups: list[tuple[Any, ...]]  # (customer, author, team, day, minute, visit, active)
    deals: list[tuple[Any, ...]]  # (customer, won by, team, day, cents)
    instalments: list[tuple[Any, ...]]  # (owner, team, due day, cents, received share, active)
    payments: list[tuple[Any, ...]]  # (instalment, owner, team, day, cents, active)
    period: Period


@st.composite
def worlds(draw: Callable[..., Any]) -> World:
    customers = draw(st.lists(st.tuples(
        day_numbers, minutes, st.none() | people, teams, st.none() | st.tuples(day_numbers, minutes),
        st.none() | people, teams, st.booleans() | st.just(True),
    ), min_size=1, max_size=6))
    count = len(customers)
    customer = st.integers(min_value=0, max_value=count - 1)
    followups = draw(st.lists(st.tuples(customer, people, teams, day_numbers, minutes, st.booleans(),
                                        st.booleans() | st.just(True)), max_size=12))
    deals = draw(st.lists(st.tuples(customer, people, teams, day_numbers, cents), max_size=8))
    instalments = draw(st.lists(st.tuples(people, teams, day_numbers, cents, st.sampled_from([0, 0.5, 1]),
                                          st.booleans() | st.just(True)), max_size=4))
    payments = draw(st.lists(st.tuples(st.integers(min_value=0, max_value=max(len(instalments) - 1, 0)), people,
                                       teams, day_numbers, cents, st.booleans() | st.just(True)),
                             max_size=5 if instalments else 0))
    kind = draw(st.sampled_from(list(PeriodKind)))
    period = Period.containing(kind, day(draw(st.integers(min_value=15, max_value=DAYS - 15))))
    return World(customers, followups, deals, instalments, payments, period)


def build(world: World, persons: list[Any], team_list: list[Any]) -> list[Customer]:
    """The world's rows, written straight to the tables with the credit columns as drawn."""
    made = []
    for n, (created_day, minute, owner, team, intent, intent_owner, intent_team, active) in enumerate(world.customers):
        customer = Customer.objects.create(
            name=f"随机客户{n}", owner=persons[owner] if owner is not None else None, is_active=active,
            created_owner=persons[owner] if owner is not None else None,
            created_team=team_list[team] if owner is not None else None,
            intent_at=moment(*intent) if intent else None,
            intent_owner=persons[intent_owner] if intent and intent_owner is not None else None,
            intent_team=team_list[intent_team] if intent and intent_owner is not None else None,
        )
        Customer.objects.filter(pk=customer.pk).update(created_at=moment(created_day, minute))
        made.append(customer)
    for customer, author, team, number, minute, visit, active in world.followups:
        FollowUp.objects.create(customer=made[customer], author=persons[author], author_team=team_list[team],
                                contacted_at=moment(number, minute), channel="visit" if visit else "phone",
                                key_points="随机", is_active=active)
    first_visits_refresh(customer_ids=[customer.pk for customer in made])
    for n, (customer, person, team, number, amount) in enumerate(world.deals):
        Deal.objects.create(customer=made[customer], title=f"商机{n}", amount=Decimal(amount) / 100, probability=100,
                            status=DealStatus.WON, owner=persons[person], signed_at=day(number),
                            won_by=persons[person], won_team=team_list[team], created_by=persons[person])
    if world.instalments:
        holder = Deal.objects.create(customer=made[0], title="回款合同", amount=Decimal(1), probability=50,
                                     owner=persons[0], created_by=persons[0])
        contract = Contract.objects.create(deal=holder, customer=made[0], number="HT-RANDOM", amount=Decimal(1),
                                           signed_at=FIRST_DAY)
        plan = [
            Instalment.objects.create(
                contract=contract, due_date=day(number), amount=Decimal(amount) / 100, position=n,
                received=(Decimal(amount) * Decimal(str(share)) / 100).quantize(Decimal("0.01")),
                owner=persons[owner], owner_team=team_list[team], is_active=active)
            for n, (owner, team, number, amount, share, active) in enumerate(world.instalments)
        ]
        for instalment, owner, team, number, amount, active in world.payments:
            Payment.objects.create(instalment=plan[instalment], received_at=day(number), amount=Decimal(amount) / 100,
                                   owner=persons[owner], owner_team=team_list[team], recorded_by=persons[owner],
                                   is_active=active)
    return made


def recompute(world: World, credited: Callable[[int | None, int | None], bool]) -> dict[str, Any]:
    """R21 by hand: ``credited(person, team)`` says whether a row's credit belongs to the subject."""
    period = world.period

    def at(number: int, minute: int) -> bool:
        return period.start <= moment(number, minute) < period.end

    def on(number: int) -> bool:
        return period.first <= day(number) <= period.last

    active_visits = sorted((moment(d, m), n, c) for n, (c, _a, _t, d, m, visit, active) in enumerate(world.followups)
                           if visit and active)
    first_visits: dict[int, int] = {}
    for _when, n, customer in active_visits:
        first_visits.setdefault(customer, n)
    records = [(n, row) for n, row in enumerate(world.followups) if row[6] and at(row[3], row[4])
               and credited(row[1], row[2])]
    followed = {row[0] for _n, row in records}
    won = [row for row in world.deals if on(row[3]) and credited(row[1], row[2])]
    signed = {row[0] for row in won}
    earlier = {row[0] for row in world.deals if day(row[3]) < period.first and credited(row[1], row[2])}
    again = earlier & {row[0] for row in world.deals if on(row[3])}
    due = [row for row in world.instalments if row[5] and on(row[2]) and credited(row[0], row[1])]
    due_amount = sum((Decimal(row[3]) for row in due), Decimal(0)) / 100
    due_received = sum(((Decimal(row[3]) * Decimal(str(row[4])) / 100).quantize(Decimal("0.01")) for row in due),
                       Decimal(0))
    return {
        "visits": sum(1 for _n, row in records if row[5]),
        "new_customer_visits": sum(1 for n, row in records if row[5] and first_visits.get(row[0]) == n),
        "new_customers": sum(1 for row in world.customers if row[7] and at(row[0], row[1])
                             and credited(row[2], None if row[2] is None else row[3])),
        "new_intent_customers": sum(1 for row in world.customers if row[7] and row[4] and at(*row[4])
                                    and credited(row[5], None if row[5] is None else row[6])),
        "sales_amount": (sum((Decimal(row[4]) for row in won), Decimal(0)) / 100).quantize(Decimal("0.01")),
        "deals": len(won),
        "conversion_rate": len(signed) / len(followed) if followed else None,
        "repurchase_rate": len(again) / len(earlier) if earlier else None,
        "collections": (sum((Decimal(row[4]) for row in world.payments if row[5] and on(row[3])
                             and credited(row[1], row[2])), Decimal(0)) / 100).quantize(Decimal("0.01")),
        "collection_rate": float(due_received / due_amount) if due else None,
        "followed_up_customers": len(followed),
    }


def person_is(n: int) -> Callable[[int | None, int | None], bool]:
    return lambda person, team: person == n


def team_is(n: int) -> Callable[[int | None, int | None], bool]:
    return lambda person, team: team == n


def same(found: dict[str, Any], expected: dict[str, Any]) -> None:
    for name in METRICS:
        if name in RATES and expected[name] is not None:
            assert found[name] == pytest.approx(expected[name]), name
        else:
            assert found[name] == expected[name], name


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world=worlds())
def test_the_engine_agrees_with_a_plain_recomputation(actors, world: World) -> None:
    persons = [actors.rep_a1, actors.rep_a2, actors.lead_a, actors.rep_b1]
    team_list = [actors.team_a, actors.team_b]
    with transaction.atomic():
        build(world, persons, team_list)
        period = world.period
        each = figures_per(level=Level.PERSON, ids=[p.pk for p in persons], period=period, metrics=METRICS)
        for n, person in enumerate(persons):
            expected = recompute(world, person_is(n))
            same(each[person.pk], expected)
            same(figures(subject=Subject.person(person.pk), period=period, metrics=METRICS), expected)
        per_team = figures_per(level=Level.TEAM, ids=[t.pk for t in team_list], period=period, metrics=METRICS)
        for n, team in enumerate(team_list):
            expected = recompute(world, team_is(n))
            same(per_team[team.pk], expected)
            same(figures(subject=Subject.team(team.pk), period=period, metrics=METRICS), expected)
        both = Subject.teams([t.pk for t in team_list])
        same(figures(subject=both, period=period, metrics=METRICS), recompute(world, lambda p, t: t is not None))
        same(figures(subject=Subject.org(), period=period, metrics=METRICS), recompute(world, lambda p, t: True))
        transaction.set_rollback(True)
