"""Deals (R13): create with the customer's owner and the stage's probability, lines that make the amount,
edits with a version, stage moves, losing with a reason, reopening by the lead only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.deals import services
from salesops.deals.models import DealLine, DealStatus, LossReason, Stage, StageProbability

pytestmark = pytest.mark.django_db


def test_a_deal_belongs_to_the_customers_owner_and_takes_the_stages_probability(actors, customer_of):
    customer = customer_of(actors.rep_a1)
    deal = services.deal_create(by=actors.lead_a, customer=customer, title="设备采购", amount="800000.00",
                                stage=Stage.PROPOSAL)
    assert deal.owner == actors.rep_a1
    assert deal.amount == Decimal("800000.00")
    assert deal.probability == 50
    assert deal.status == DealStatus.OPEN


def test_an_admin_changed_probability_is_what_new_deals_take(actors, customer_of):
    services.stage_probability_set(by=actors.admin, stage=Stage.NEEDS, probability=35)
    deal = services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t", amount=1,
                                stage=Stage.NEEDS)
    assert deal.probability == 35
    with pytest.raises(PermissionDenied):
        services.stage_probability_set(by=actors.lead_a, stage=Stage.NEEDS, probability=40)
    assert StageProbability.objects.get(stage=Stage.NEEDS).probability == 35


def test_a_customer_outside_the_scope_is_not_found(actors, customer_of):
    other = customer_of(actors.rep_b1)
    with pytest.raises(NotFound):
        services.deal_create(by=actors.rep_a1, customer=other, title="越界", amount=1)
    with pytest.raises(NotFound):
        services.deal_create(by=actors.lead_c, customer=other, title="越界", amount=1)


def test_a_pool_customer_is_claimed_before_a_deal(actors, customer_of):
    with pytest.raises(Invalid) as refused:
        services.deal_create(by=actors.rep_a1, customer=customer_of(None), title="公海", amount=1)
    assert "customer" in refused.value.fields


def test_a_rep_enters_deals_for_themselves_only(actors, customer_of):
    with pytest.raises(Invalid) as refused:
        services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t", amount=1,
                             owner=actors.rep_a2)
    assert "owner" in refused.value.fields


def test_lines_make_the_amount(actors, customer_of):
    deal = services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t", lines=[
        {"product": "数控机床", "quantity": "2", "unit_price": "350000.00"},
        {"product": "安装调试", "quantity": "1.5", "unit_price": "0.33"},
    ])
    assert deal.amount == Decimal("700000.50")  # 1.5 × 0.33 = 0.495 → 0.50 half up
    assert [line.product for line in deal.lines.all()] == ["数控机床", "安装调试"]
    with pytest.raises(Invalid):
        services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t", amount="1.00",
                             lines=[{"product": "x", "quantity": "1", "unit_price": "2.00"}])


@pytest.mark.parametrize("amount", ["-1", "abc", "0.001", "1e400", "NaN", None])
def test_bad_amounts_are_refused_and_nothing_is_saved(actors, customer_of, amount):
    customer = customer_of(actors.rep_a1)
    with pytest.raises(Invalid) as refused:
        services.deal_create(by=actors.rep_a1, customer=customer, title="t", amount=amount)
    assert "amount" in refused.value.fields
    assert not customer.deals.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "0.001", "x"])
def test_bad_quantities_are_refused(actors, customer_of, quantity):
    with pytest.raises(Invalid):
        services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t",
                             lines=[{"product": "x", "quantity": quantity, "unit_price": "1.00"}])


def test_an_edit_on_an_old_version_is_stale(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    services.deal_update(deal=deal, by=actors.rep_a1, version=deal.version, title="新标题")
    with pytest.raises(Conflict) as stale:
        services.deal_update(deal=deal, by=actors.lead_a, version=deal.version, amount="5.00")
    assert stale.value.code == "stale"
    deal.refresh_from_db()
    assert (deal.title, deal.amount) == ("新标题", Decimal("100000.00"))


def test_replaced_lines_are_withdrawn_not_deleted(actors, customer_of):
    deal = services.deal_create(by=actors.rep_a1, customer=customer_of(actors.rep_a1), title="t",
                                lines=[{"product": "旧", "quantity": "1", "unit_price": "10.00"}])
    services.deal_update(deal=deal, by=actors.rep_a1, lines=[{"product": "新", "quantity": "3", "unit_price": "10.00"}])
    deal.refresh_from_db()
    assert deal.amount == Decimal("30.00")
    assert list(DealLine.objects.filter(deal=deal).values_list("product", "is_active")) == [("旧", False), ("新", True)]


def test_a_stage_move_takes_the_new_stages_probability(actors, deal_of):
    deal = services.deal_stage_change(deal=deal_of(actors.rep_a1), by=actors.rep_a1, stage=Stage.NEGOTIATION)
    assert (deal.stage, deal.probability) == (Stage.NEGOTIATION, 70)
    with pytest.raises(Invalid):
        services.deal_stage_change(deal=deal, by=actors.rep_a1, stage="won")


def test_someone_outside_the_scope_cannot_move_a_deal(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    for person in (actors.rep_a2, actors.lead_b, actors.lead_c):
        with pytest.raises(NotFound):
            services.deal_stage_change(deal=deal, by=person, stage=Stage.NEEDS)


def test_losing_takes_a_reason_from_the_list_and_then_the_deal_is_closed(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    with pytest.raises(Invalid):
        services.deal_lose(deal=deal, by=actors.rep_a1, reason=None)
    withdrawn = LossReason.objects.create(name="旧原因", is_active=False)
    with pytest.raises(Invalid):
        services.deal_lose(deal=deal, by=actors.rep_a1, reason=withdrawn)
    reason = LossReason.objects.get(name="价格过高")
    deal = services.deal_lose(deal=deal, by=actors.rep_a1, reason=reason, note="对方压价")
    assert (deal.status, deal.lost_reason, deal.lost_note) == (DealStatus.LOST, reason, "对方压价")
    with pytest.raises(Conflict) as closed:
        services.deal_stage_change(deal=deal, by=actors.rep_a1, stage=Stage.NEEDS)
    assert closed.value.code == "deal_lost"
    with pytest.raises(Conflict):
        services.deal_update(deal=deal, by=actors.rep_a1, title="x")
    with pytest.raises(Conflict):
        services.deal_lose(deal=deal, by=actors.rep_a1, reason=reason)


def test_only_someone_who_manages_the_owner_reopens_with_a_reason_kept_in_history(actors, deal_of):
    deal = services.deal_lose(deal=deal_of(actors.rep_a1), by=actors.rep_a1, reason=LossReason.objects.first())
    with pytest.raises(PermissionDenied):
        services.deal_reopen(deal=deal, by=actors.rep_a1, reason="客户回心转意")
    with pytest.raises(NotFound):
        services.deal_reopen(deal=deal, by=actors.lead_b, reason="客户回心转意")
    with pytest.raises(Invalid):
        services.deal_reopen(deal=deal, by=actors.lead_a, reason="  ")
    deal = services.deal_reopen(deal=deal, by=actors.lead_a, reason="客户回心转意")
    assert deal.status == DealStatus.OPEN and deal.lost_reason is None
    last = deal.history.first()
    assert (last.history_change_reason, last.history_user_id) == ("客户回心转意", actors.lead_a.pk)
    with pytest.raises(Conflict):
        services.deal_reopen(deal=deal, by=actors.lead_a, reason="再开")


def test_a_lead_is_reopened_by_their_director_not_by_themselves(actors, deal_of):
    deal = services.deal_lose(deal=deal_of(actors.lead_a), by=actors.lead_a, reason=LossReason.objects.first())
    with pytest.raises(PermissionDenied):
        services.deal_reopen(deal=deal, by=actors.lead_a, reason="重新跟进")
    assert services.deal_reopen(deal=deal, by=actors.director, reason="重新跟进").status == DealStatus.OPEN
