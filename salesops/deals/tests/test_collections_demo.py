"""Demo and generated collections: every plan sums to its contract, receipts add up to each instalment's
``received`` and never pass it, and the history has every state (received, partial, overdue)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.deals.collections.demo_data import demo_collections, generate_collections, plan_parts, wipe_collections
from salesops.deals.collections.selectors import status_expression
from salesops.deals.models import Contract, Instalment, Payment
from salesops.demo.registry import DemoContext, GeneratorContext, Progress, Scale
from salesops.testing.money_factories import make_contract

pytestmark = pytest.mark.django_db


def contracts(actors, count: int) -> list[Contract]:
    today = local_today()
    owners = [actors.rep_a1, actors.rep_a2, actors.rep_b1, actors.lead_a]
    return [
        make_contract(owners[n % len(owners)], amount=f"{10000 + n * 1234}.{n % 100:02d}",
                      signed_at=today - dt.timedelta(days=5 * n))
        for n in range(count)
    ]


def check_consistent() -> None:
    for contract in Contract.objects.all():
        plan = Instalment.objects.filter(contract=contract, is_active=True)
        assert plan.aggregate(total=Sum("amount"))["total"] == contract.amount
    for instalment in Instalment.objects.all():
        paid = Payment.objects.filter(instalment=instalment, is_active=True).aggregate(total=Sum("amount"))["total"]
        assert instalment.received == (paid or Decimal("0.00"))
        assert Decimal("0.00") <= instalment.received <= instalment.amount
        assert (instalment.owner_id, instalment.owner_team_id) == (
            instalment.contract.deal.owner_id, instalment.contract.deal.owner.team_id)
    assert not Payment.objects.filter(received_at__gt=local_today()).exists()


def statuses() -> set[str]:
    rows = Instalment.objects.annotate(status=status_expression(local_today()))
    return set(rows.values_list("status", flat=True))


def test_a_plan_splits_the_amount_exactly():
    parts = plan_parts(1000001, dt.date(2026, 1, 1), 3)
    assert sum(cents for _day, cents in parts) == 1000001
    assert [day for day, _cents in parts] == [dt.date(2026, 1, 16), dt.date(2026, 3, 17), dt.date(2026, 5, 16)]


def test_the_demo_gives_every_contract_a_plan_and_a_history(actors):
    contracts(actors, 40)
    ctx = DemoContext(admin=actors.admin, director=actors.director, teams=[actors.team_a, actors.team_b],
                      leads=[actors.lead_a, actors.lead_b], reps=[actors.rep_a1, actors.rep_a2, actors.rep_b1],
                      today=local_today(), rng=random.Random(3), progress=Progress(enabled=False))
    demo_collections(ctx)
    assert not Contract.objects.filter(instalments__isnull=True).exists()
    check_consistent()
    assert {"received", "partial", "overdue", "due"} <= statuses()
    assert Instalment.history.count() >= Instalment.objects.count()  # through the services, with history


def test_the_generator_writes_consistent_rows_and_the_wipe_removes_them(actors):
    made = contracts(actors, 60)
    ctx = GeneratorContext(
        scale=Scale(name="T", teams=2, reps_per_team=2), seed=1, today=local_today(), rng=random.Random(1),
        admin_id=actors.admin.pk, director_ids=[actors.director.pk], team_ids=[actors.team_a.pk, actors.team_b.pk],
        lead_by_team={actors.team_a.pk: actors.lead_a.pk, actors.team_b.pk: actors.lead_b.pk},
        reps_by_team={actors.team_a.pk: [actors.rep_a1.pk, actors.rep_a2.pk], actors.team_b.pk: [actors.rep_b1.pk]},
        progress=Progress(enabled=False),
    )
    generate_collections(ctx)
    assert Contract.objects.filter(instalments__isnull=False).distinct().count() == len(made)
    check_consistent()
    assert {"received", "partial", "overdue", "due"} <= statuses()
    assert ctx.counts[Instalment._meta.label] == Instalment.objects.count()
    generate_collections(ctx)  # contracts with a plan are left alone
    assert ctx.counts[Instalment._meta.label] == Instalment.objects.count()
    wipe_collections(User.objects.all())
    assert not Instalment.objects.exists() and not Payment.objects.exists()
