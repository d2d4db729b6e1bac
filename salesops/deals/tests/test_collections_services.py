"""Payment plans and receipts (R13 collections, R21 attribution): the plan sums to the contract amount,
receipts are partial or whole but never above what is still due, nothing is deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from salesops.core.errors import Conflict, Invalid, NotFound
from salesops.deals.collections import services
from salesops.deals.collections.services import PlanLine
from salesops.deals.models import Contract, Instalment, Payment
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db

D = Decimal
SIGNED = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def contract(actors) -> Contract:
    return make_contract(actors.rep_a1, amount="100000.00", signed_at=SIGNED)


def plan_of(contract: Contract) -> list[tuple[dt.date, Decimal, Decimal]]:
    return [(row.due_date, row.amount, row.received)
            for row in Instalment.objects.filter(contract=contract, is_active=True).order_by("position")]


def test_a_plan_that_sums_to_the_contract_amount_replaces_the_old_one(actors, contract):
    old = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])
    rows = services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
        (dt.date(2026, 4, 1), D("30000.00")), (dt.date(2026, 6, 1), D("70000.00"))])
    assert [(row.due_date, row.amount) for row in rows] == [
        (dt.date(2026, 4, 1), D("30000.00")), (dt.date(2026, 6, 1), D("70000.00"))]
    assert {(row.owner_id, row.owner_team_id) for row in rows} == {(actors.rep_a1.pk, actors.team_a.pk)}
    old[0].refresh_from_db()
    assert old[0].is_active is False  # kept, deactivated, never deleted
    assert Instalment.objects.filter(contract=contract).count() == 3
    contract.refresh_from_db()
    assert contract.version == 2


@pytest.mark.parametrize("amounts", [["30000.00", "60000.00"], ["30000.00", "70000.01"], ["100000.00", "0.00"]])
def test_a_plan_that_does_not_sum_or_has_an_empty_instalment_is_refused(actors, contract, amounts):
    make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])
    with pytest.raises(Invalid) as refused:
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
            (dt.date(2026, 4, 1 + i), D(a)) for i, a in enumerate(amounts)])
    assert "plan" in refused.value.fields
    assert plan_of(contract) == [(dt.date(2026, 4, 1), D("100000.00"), D("0.00"))]


def test_the_refusal_says_what_the_plan_adds_up_to(actors, contract):
    with pytest.raises(Invalid) as refused:
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
            (dt.date(2026, 4, 1), D("30000.00")), (dt.date(2026, 5, 1), D("60000.00"))])
    assert refused.value.fields["plan"] == [
        "The instalments add up to ¥90,000.00 but the contract amount is ¥100,000.00: they must be equal."]


@pytest.mark.parametrize("amount", ["-100000.00", "100000.001", "abc", "1e400"])
def test_bad_amounts_are_refused(actors, contract, amount):
    with pytest.raises(Invalid):
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[(dt.date(2026, 4, 1), amount)])
    assert plan_of(contract) == []


@pytest.mark.parametrize("due", [dt.date(2024, 1, 1), dt.date(2040, 1, 1)])
def test_due_dates_far_from_the_signing_are_refused(actors, contract, due):
    with pytest.raises(Invalid):
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[(due, D("100000.00"))])


def test_an_instalment_with_receipts_must_be_kept_and_not_set_below_what_was_received(actors, contract):
    first, second = make_plan(contract, [(dt.date(2026, 4, 1), "40000.00"), (dt.date(2026, 6, 1), "60000.00")])
    make_payment(first, "25000.00", dt.date(2026, 4, 2))
    with pytest.raises(Invalid, match=r"has received ¥25,000\.00: keep it"):
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
            (dt.date(2026, 5, 1), D("100000.00"))])
    with pytest.raises(Invalid, match="its amount cannot be less"):
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
            PlanLine(dt.date(2026, 4, 1), D("20000.00"), first.pk), (dt.date(2026, 6, 1), D("80000.00"))])
    rows = services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
        PlanLine(dt.date(2026, 4, 15), D("25000.00"), first.pk), (dt.date(2026, 7, 1), D("75000.00"))])
    assert rows[0].pk == first.pk
    assert plan_of(contract) == [(dt.date(2026, 4, 15), D("25000.00"), D("25000.00")),
                                 (dt.date(2026, 7, 1), D("75000.00"), D("0.00"))]
    second.refresh_from_db()
    assert second.is_active is False


def test_a_plan_cannot_name_another_contracts_instalment(actors, contract):
    other = make_plan(make_contract(actors.rep_a1, amount="100000.00"), [(dt.date(2026, 4, 1), "100000.00")])[0]
    with pytest.raises(Invalid, match="not one of this contract's"):
        services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[
            PlanLine(dt.date(2026, 4, 1), D("100000.00"), other.pk)])


def test_a_plan_based_on_an_older_copy_is_stale(actors, contract):
    services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, version=1,
                                 plan=[(dt.date(2026, 4, 1), D("100000.00"))])
    with pytest.raises(Conflict) as stale:
        services.instalments_replace(by=actors.lead_a, contract_id=contract.pk, version=1,
                                     plan=[(dt.date(2026, 5, 1), D("100000.00"))])
    assert stale.value.code == "stale"
    assert plan_of(contract) == [(dt.date(2026, 4, 1), D("100000.00"), D("0.00"))]


@pytest.mark.parametrize("name,allowed", [
    ("rep_a1", True), ("lead_a", True), ("director", True), ("admin", True),
    ("rep_a2", False), ("lead_b", False), ("lead_c", False), ("rep_c1", False),
])
def test_the_owner_and_whoever_manages_the_owner_set_the_plan_others_see_nothing(actors, contract, name, allowed):
    by = getattr(actors, name)
    plan = [(dt.date(2026, 4, 1), D("100000.00"))]
    if allowed:
        services.instalments_replace(by=by, contract_id=contract.pk, plan=plan)
        assert len(plan_of(contract)) == 1
    else:
        with pytest.raises(NotFound):
            services.instalments_replace(by=by, contract_id=contract.pk, plan=plan)


def test_partial_receipts_add_up_and_the_owner_at_receipt_is_credited(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    first = services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 1),
                                    amount=D("30000.00"))
    second = services.payment_record(by=actors.lead_a, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 3),
                                     amount="70000.00")
    instalment.refresh_from_db()
    assert instalment.received == D("100000.00")
    assert [(p.owner_id, p.owner_team_id, p.recorded_by_id) for p in (first, second)] == [
        (actors.rep_a1.pk, actors.team_a.pk, actors.rep_a1.pk), (actors.rep_a1.pk, actors.team_a.pk, actors.lead_a.pk)]
    with pytest.raises(Invalid, match="received in full"):
        services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 3),
                                amount="0.01")


def test_a_receipt_counts_for_the_team_of_the_owner_when_it_was_received(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    before = services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk,
                                     received_at=dt.date(2026, 4, 1), amount="10000.00")
    actors.rep_a1.team = actors.team_b
    actors.rep_a1.save()
    after = services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk,
                                    received_at=dt.date(2026, 4, 2), amount="10000.00")
    before.refresh_from_db()
    assert (before.owner_team_id, after.owner_team_id) == (actors.team_a.pk, actors.team_b.pk)


def test_a_receipt_above_what_is_still_due_is_refused_with_that_amount(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "40000.00"), (dt.date(2026, 6, 1), "60000.00")])[0]
    make_payment(instalment, "30000.00", dt.date(2026, 4, 1))
    with pytest.raises(Invalid) as refused:
        services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 5),
                                amount="10000.01")
    assert refused.value.fields == {"amount": ["At most ¥10,000.00 is still due on this instalment."]}
    instalment.refresh_from_db()
    assert instalment.received == D("30000.00")
    assert Payment.objects.filter(instalment=instalment).count() == 1


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.001", "x", "1e400"])
def test_a_bad_receipt_amount_is_refused(actors, contract, amount):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    with pytest.raises(Invalid) as refused:
        services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 1),
                                amount=amount)
    assert list(refused.value.fields) == ["amount"]
    assert not Payment.objects.exists()


def test_a_receipt_dated_in_the_future_is_refused(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    with pytest.raises(Invalid):
        services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk,
                                received_at=dt.date.today() + dt.timedelta(days=2), amount="1.00")


def test_receipts_go_to_active_instalments_in_scope_only(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    with pytest.raises(NotFound):
        services.payment_record(by=actors.rep_b1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 1),
                                amount="1.00")
    services.instalments_replace(by=actors.rep_a1, contract_id=contract.pk, plan=[(dt.date(2026, 5, 1), D("100000"))])
    with pytest.raises(NotFound):
        services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk, received_at=dt.date(2026, 4, 1),
                                amount="1.00")


def test_a_voided_receipt_stays_and_its_amount_is_due_again(actors, contract):
    instalment = make_plan(contract, [(dt.date(2026, 4, 1), "100000.00")])[0]
    payment = services.payment_record(by=actors.rep_a1, instalment_id=instalment.pk,
                                      received_at=dt.date(2026, 4, 1), amount="40000.00")
    services.payment_void(by=actors.lead_a, payment_id=payment.pk)
    instalment.refresh_from_db()
    payment.refresh_from_db()
    assert (instalment.received, payment.is_active) == (D("0.00"), False)
    with pytest.raises(Conflict):
        services.payment_void(by=actors.lead_a, payment_id=payment.pk)
    with pytest.raises(NotFound):
        services.payment_void(by=actors.lead_b, payment_id=payment.pk)
