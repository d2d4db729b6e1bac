"""Demo and generated deals (R13, R14): a pipeline in every stage, won deals with their contracts and
post-win tasks, a repurchase, a lost deal; the generator's volumes, contract numbers and repurchase marks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from salesops.accounts.models import Role, User
from salesops.customers import demo_data as customer_steps
from salesops.deals import demo_deals
from salesops.deals.models import Contract, ContractSequence, Deal, DealStatus, Stage
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pipeline_in_every_stage_won_and_lost_deals_and_contracts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert load_demo(progress=False)
    reps = User.objects.filter(role=Role.REP)
    open_deals = Deal.objects.filter(status=DealStatus.OPEN)
    assert set(open_deals.values_list("stage", flat=True)) == set(Stage.values)
    for rep in reps:
        assert Deal.objects.filter(owner=rep, status=DealStatus.WON).count() >= 3
        assert Deal.objects.filter(owner=rep, status=DealStatus.LOST).exists()
        assert Deal.objects.filter(owner=rep, is_repurchase=True).exists()
    won = Deal.objects.filter(status=DealStatus.WON)
    assert Contract.objects.count() == won.count()
    assert Contract.objects.filter(archived=True).exists() and Contract.objects.filter(archived=False).exists()
    assert Task.objects.filter(kind=TaskKind.CONTRACT_ARCHIVE, deal__in=won).count() == won.count()


@pytest.fixture
def deal_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_generator_steps", {
        "customers": registry.GeneratorStep("customers", customer_steps.generate_customers,
                                            customer_steps.wipe_customers),
        "deals": registry.GeneratorStep("deals", demo_deals.generate_deals, demo_deals.wipe_deals),
    })


def test_the_generator_makes_deals_with_contracts_and_wipes_them(deal_steps):
    scale = SCALES["S"]
    report = generate(scale=scale, seed=3, today=dt.date(2026, 3, 11), progress=False)
    assert Deal.objects.count() == scale.reps * demo_deals.DEALS_PER_REP == report.rows["deals.Deal"]
    won = Deal.objects.filter(status=DealStatus.WON)
    assert Contract.objects.count() == won.count() > Deal.objects.count() // 3
    assert Deal.objects.filter(status=DealStatus.LOST).exists() and Deal.objects.filter(status=DealStatus.OPEN).exists()
    assert not won.filter(won_by__isnull=True).exists() and not won.filter(signed_at__isnull=True).exists()
    # R14: a customer's first win is not a repurchase, every later one is
    per_customer = won.values("customer").annotate(n=Count("*"))
    assert won.filter(is_repurchase=True).count() == sum(row["n"] - 1 for row in per_customer)
    numbers = list(Contract.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    year = ContractSequence.objects.get(year=2026)
    assert Contract.objects.filter(number=f"HT-2026-{year.last:05d}").exists()
    wipe_generated()
    assert not Deal.objects.exists() and not Contract.objects.exists()
