"""R15 ownership services: claim from the pool (roles, monthly cap, lost race), release, transfer and
reassignment (R1 scope), with the history and ownership events they leave (R12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.customers.models import CadenceStatus, Customer, Grade, OwnershipEvent, Tag
from salesops.customers.pool import services as pool
from salesops.organisation.selectors import rule_settings

pytestmark = pytest.mark.django_db
WEDNESDAY = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))  # a working day


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_customer(name: str, owner=None, grade: str | None = Grade.B) -> Customer:
    return Customer.objects.create(name=name, name_key=name.lower(), owner=owner, grade=grade)


def snapshot() -> list[tuple]:
    return sorted(Customer.objects.values_list("pk", "owner_id", "pooled_at"))


# --- claim -------------------------------------------------------------------------------------------


def test_rep_claims_a_pool_customer_and_gets_a_due_date(actors, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY)
    customer = make_customer("星海贸易")
    claimed = pool.customer_claim(customer=customer, by=actors.rep_a1)
    assert claimed.owner_id == actors.rep_a1.pk
    assert claimed.pooled_at is None
    # R10: the cadence engine ran for the new owner: B is due 2 working days after the claim (Wed → Fri)
    assert claimed.next_due_at == dt.date(2026, 3, 6)
    event = OwnershipEvent.objects.get(customer=customer)
    assert (event.kind, event.from_user_id, event.to_user_id, event.by_id) == ("claim", None, actors.rep_a1.pk,
                                                                               actors.rep_a1.pk)
    record = customer.history.latest()
    assert (record.owner_id, record.history_user_id, record.history_type) == (actors.rep_a1.pk, actors.rep_a1.pk, "~")


def test_a_lead_may_claim_for_themselves(actors):
    customer = make_customer("云帆科技")
    assert pool.customer_claim(customer=customer, by=actors.lead_a).owner_id == actors.lead_a.pk


@pytest.mark.parametrize("who", ["director", "admin"])
def test_directors_and_admins_do_not_claim(actors, who):
    customer = make_customer("云帆科技")
    with pytest.raises(PermissionDenied):
        pool.customer_claim(customer=customer, by=getattr(actors, who))
    assert Customer.objects.get(pk=customer.pk).owner_id is None
    assert not OwnershipEvent.objects.exists()


def test_an_owned_customer_cannot_be_claimed(actors):
    customer = make_customer("金石集团", owner=actors.rep_a2)
    with pytest.raises(Conflict) as caught:
        pool.customer_claim(customer=customer, by=actors.rep_a1)
    assert caught.value.code == "already_claimed"
    assert caught.value.message == "Someone else has just claimed this customer."
    with pytest.raises(Conflict) as mine:
        pool.customer_claim(customer=customer, by=actors.rep_a2)
    assert mine.value.code == "already_yours"
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk
    assert not OwnershipEvent.objects.exists()


def test_a_stale_object_loses_to_the_claim_already_made(actors):
    """The claim reads the locked row, not the caller's copy: a second claim of the same stale object loses."""
    customer = make_customer("金石集团")
    stale_copy = Customer.objects.get(pk=customer.pk)
    pool.customer_claim(customer=customer, by=actors.rep_a1)
    with pytest.raises(Conflict) as caught:
        pool.customer_claim(customer=stale_copy, by=actors.rep_b1)
    assert caught.value.code == "already_claimed"
    assert OwnershipEvent.objects.filter(kind="claim").count() == 1
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_merged_customer_cannot_be_claimed(actors):
    customer = make_customer("旧公司")
    Customer.objects.filter(pk=customer.pk).update(is_active=False)
    with pytest.raises(Invalid):
        pool.customer_claim(customer=customer, by=actors.rep_a1)
    assert Customer.objects.get(pk=customer.pk).owner_id is None


def test_cap_20_refuses_the_21st_claim_of_the_month(actors):
    settings = rule_settings()
    assert settings.pool_claim_cap == 20  # the manual's default
    customers = [make_customer(f"客户{n:02d}") for n in range(21)]
    for customer in customers[:20]:
        pool.customer_claim(customer=customer, by=actors.rep_a1)
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        pool.customer_claim(customer=customers[20], by=actors.rep_a1)
    assert caught.value.code == "claim_cap_reached"
    first_of_next = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert caught.value.message == (
        "You have claimed 20 customers from the pool this month, the most allowed. "
        f"You can claim again from {first_of_next.isoformat()}."
    )
    assert snapshot() == before
    assert OwnershipEvent.objects.filter(kind="claim", to_user=actors.rep_a1).count() == 20
    # the cap is per rep: someone else still claims it
    assert pool.customer_claim(customer=customers[20], by=actors.rep_a2).owner_id == actors.rep_a2.pk


def test_cap_counts_this_calendar_month_only_and_follows_the_setting(actors):
    settings = rule_settings()
    settings.pool_claim_cap = 2
    settings.save()
    old = make_customer("上月客户")
    pool.customer_claim(customer=old, by=actors.rep_a1)
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    OwnershipEvent.objects.filter(customer=old).update(
        at=timezone.make_aware(dt.datetime.combine(last_month, dt.time(23, 59)))
    )
    first, second, third = (make_customer(name) for name in ("甲", "乙", "丙"))
    pool.customer_claim(customer=first, by=actors.rep_a1)
    pool.customer_claim(customer=second, by=actors.rep_a1)
    with pytest.raises(Conflict) as caught:
        pool.customer_claim(customer=third, by=actors.rep_a1)
    assert caught.value.code == "claim_cap_reached"
    assert pool.claims_this_month(user=actors.rep_a1) == 2


# --- release -----------------------------------------------------------------------------------------


def test_owner_releases_with_a_reason(actors, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WEDNESDAY)
    customer = make_customer("远航物流", owner=actors.rep_a1)
    released = pool.customer_release(customer=customer, by=actors.rep_a1, reason="客户已转向竞品")
    assert released.owner_id is None
    assert released.pooled_at == WEDNESDAY
    assert released.next_due_at is None  # R10: nobody owes a pool customer a follow-up
    event = OwnershipEvent.objects.get(customer=customer)
    assert (event.kind, event.from_user_id, event.to_user_id, event.reason) == (
        "release", actors.rep_a1.pk, None, "客户已转向竞品")


@pytest.mark.parametrize("who", ["lead_a", "director", "admin"])
def test_managers_of_the_owner_may_release(actors, who):
    customer = make_customer("远航物流", owner=actors.rep_a1)
    assert pool.customer_release(customer=customer, by=getattr(actors, who), reason="调整").owner_id is None


@pytest.mark.parametrize("who", ["rep_a2", "lead_b", "lead_c"])
def test_others_may_not_release(actors, who):
    customer = make_customer("远航物流", owner=actors.rep_a1)
    with pytest.raises(PermissionDenied):
        pool.customer_release(customer=customer, by=getattr(actors, who), reason="调整")
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_release_needs_a_short_reason(actors, reason):
    customer = make_customer("远航物流", owner=actors.rep_a1)
    with pytest.raises(Invalid) as caught:
        pool.customer_release(customer=customer, by=actors.rep_a1, reason=reason)
    assert list(caught.value.message_dict) == ["reason"]
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk
    assert not OwnershipEvent.objects.exists()


def test_release_of_a_pool_customer_is_a_conflict(actors):
    customer = make_customer("远航物流")
    with pytest.raises(Conflict) as caught:
        pool.customer_release(customer=customer, by=actors.admin, reason="x")
    assert caught.value.code == "already_in_pool"


def test_history_keeps_the_tags_across_a_change_of_owner(actors):
    customer = make_customer("标签客户", owner=actors.rep_a1)
    customer.tags.add(Tag.objects.create(name="展会线索"))
    pool.customer_release(customer=customer, by=actors.rep_a1, reason="调整")
    record = customer.history.latest()
    assert [tag.tag.name for tag in record.tags.all()] == ["展会线索"]
    assert record.history_change_reason == "调整"


# --- transfer ----------------------------------------------------------------------------------------


def test_lead_transfers_several_customers_within_the_team(actors):
    first = make_customer("一号", owner=actors.rep_a1)
    second = make_customer("二号", owner=actors.rep_a1)
    moved = pool.customer_transfer(
        customers=[first, second], to_user=actors.rep_a2, by=actors.lead_a, reason="离职交接"
    )
    assert [c.pk for c in moved] == sorted([first.pk, second.pk])
    assert set(Customer.objects.values_list("owner_id", flat=True)) == {actors.rep_a2.pk}
    events = OwnershipEvent.objects.filter(kind="transfer").order_by("customer_id")
    assert [(e.customer_id, e.from_user_id, e.to_user_id, e.by_id, e.reason) for e in events] == [
        (first.pk, actors.rep_a1.pk, actors.rep_a2.pk, actors.lead_a.pk, "离职交接"),
        (second.pk, actors.rep_a1.pk, actors.rep_a2.pk, actors.lead_a.pk, "离职交接"),
    ]


def test_lead_cannot_transfer_to_a_rep_of_another_team(actors):
    customer = make_customer("一号", owner=actors.rep_a1)
    with pytest.raises(Invalid) as caught:
        pool.customer_transfer(customers=[customer], to_user=actors.rep_b1, by=actors.lead_a, reason="调整")
    assert list(caught.value.message_dict) == ["to_user"]
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


def test_lead_cannot_transfer_another_teams_customer(actors):
    mine = make_customer("一号", owner=actors.rep_a1)
    theirs = make_customer("二号", owner=actors.rep_b1)
    before = snapshot()
    with pytest.raises(NotFound):
        pool.customer_transfer(customers=[mine, theirs], to_user=actors.rep_a2, by=actors.lead_a, reason="调整")
    assert snapshot() == before
    assert not OwnershipEvent.objects.exists()


def test_director_moves_between_their_teams_but_not_to_others(actors):
    customer = make_customer("一号", owner=actors.rep_a1)
    pool.customer_transfer(customers=[customer], to_user=actors.rep_b1, by=actors.director, reason="区域调整")
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_b1.pk
    with pytest.raises(Invalid):
        pool.customer_transfer(customers=[customer], to_user=actors.rep_c1, by=actors.director, reason="区域调整")
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_b1.pk


def test_admin_transfers_anywhere_and_assigns_from_the_pool(actors):
    owned = make_customer("一号", owner=actors.rep_a1)
    pooled = make_customer("二号")
    pool.customer_transfer(customers=[owned, pooled], to_user=actors.rep_c1, by=actors.admin, reason="分配")
    assert set(Customer.objects.values_list("owner_id", flat=True)) == {actors.rep_c1.pk}
    assert Customer.objects.get(pk=pooled.pk).pooled_at is None


def test_reps_do_not_transfer(actors):
    customer = make_customer("一号", owner=actors.rep_a1)
    with pytest.raises(PermissionDenied):
        pool.customer_transfer(customers=[customer], to_user=actors.rep_a2, by=actors.rep_a1, reason="调整")


def test_transfer_to_the_current_owner_is_a_conflict_and_moves_nothing(actors):
    first = make_customer("一号", owner=actors.rep_a1)
    second = make_customer("二号", owner=actors.rep_a2)
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        pool.customer_transfer(customers=[first, second], to_user=actors.rep_a2, by=actors.lead_a, reason="调整")
    assert caught.value.code == "already_owned"
    assert caught.value.message == f"二号 already belong to {actors.rep_a2}."
    assert snapshot() == before


def test_transfer_to_an_inactive_person_or_a_director_is_refused(actors):
    customer = make_customer("一号", owner=actors.rep_a1)
    actors.rep_a2.is_active = False
    actors.rep_a2.save()
    for target in (actors.rep_a2, actors.director):
        with pytest.raises(Invalid) as caught:
            pool.customer_transfer(customers=[customer], to_user=target, by=actors.admin, reason="调整")
        assert list(caught.value.message_dict) == ["to_user"]
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a1.pk


# --- reassignment when a rep leaves ----------------------------------------------------------------------


def test_reassign_all_moves_every_active_customer_of_the_leaver(actors):
    for n in range(3):
        make_customer(f"客户{n}", owner=actors.rep_a1)
    merged = make_customer("已合并", owner=actors.rep_a1)
    Customer.objects.filter(pk=merged.pk).update(is_active=False)
    other = make_customer("别人的", owner=actors.rep_a2)
    moved = pool.customers_reassign_all(from_user=actors.rep_a1, to_user=actors.rep_a2, by=actors.lead_a)
    assert moved == 3
    assert Customer.objects.filter(owner=actors.rep_a2, is_active=True).count() == 4
    assert Customer.objects.get(pk=merged.pk).owner_id == actors.rep_a1.pk
    assert OwnershipEvent.objects.filter(kind="transfer", from_user=actors.rep_a1, to_user=actors.rep_a2).count() == 3
    assert not OwnershipEvent.objects.filter(customer=other).exists()


def test_reassign_all_respects_scope(actors):
    make_customer("客户", owner=actors.rep_b1)
    with pytest.raises(PermissionDenied):
        pool.customers_reassign_all(from_user=actors.rep_b1, to_user=actors.rep_a2, by=actors.lead_a)
    with pytest.raises(Invalid):
        pool.customers_reassign_all(from_user=actors.rep_a1, to_user=actors.rep_a1, by=actors.lead_a)
    with pytest.raises(PermissionDenied):
        pool.customers_reassign_all(from_user=actors.rep_a1, to_user=actors.rep_a2, by=actors.rep_a2)
    assert Customer.objects.get().owner_id == actors.rep_b1.pk


def test_a_customer_claimed_long_after_its_last_follow_up_is_due_from_the_claim(actors):
    """R10 + R15: the new owner gets the grade's whole interval from the claim, not an overdue customer."""
    import datetime as dt

    from django.utils import timezone

    from salesops.followups.models import FollowUp
    from salesops.organisation.selectors import rule_settings, work_calendar

    customer = make_customer("久未跟进的客户", grade=Grade.B)
    FollowUp.objects.create(
        customer=customer, author=actors.rep_b1, contacted_at=timezone.now() - dt.timedelta(days=40),
        channel="phone", key_points="上次沟通",
    )
    claimed = pool.customer_claim(customer=customer, by=actors.rep_a1)
    claimed.refresh_from_db()
    today = timezone.localdate()
    assert claimed.next_due_at == work_calendar().next_workday(today, rule_settings().cadence_b_days)
    assert CadenceStatus.of(claimed.next_due_at, today) == "ok"
