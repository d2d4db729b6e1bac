"""R7 plan writes: pre-filled with the customers due (R10) and the open tasks (R20), one per person per day,
only one's own customers, stale edits refused, the submit window and late marks, approve and return by
whoever manages the person (R1), never one's own."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.customers.models import Customer
from salesops.daily.plans import services
from salesops.daily.plans.models import DailyPlan, PlanStatus, StopSource
from salesops.daily.plans.tests.conftest import DAY, local
from salesops.daily.summaries import services as summary_services
from salesops.tasks import services as task_services

pytestmark = pytest.mark.django_db


def test_a_new_plan_is_pre_filled_with_the_customers_due_and_the_open_tasks(actors, make_customer, make_plan):
    overdue = make_customer("逾期客户", due=DAY - dt.timedelta(days=2))
    today = make_customer("今日客户", due=DAY)
    make_customer("明天客户", due=DAY + dt.timedelta(days=1))
    make_customer("同事客户", owner=actors.rep_a2, due=DAY)
    named = make_customer("任务客户", due=None)
    task = task_services.task_create(by=actors.lead_a, assignee=actors.rep_a1, title="送样品", standard="签收单",
                                     deadline=DAY, customer=named)
    plan = make_plan()
    rows = list(plan.stops.order_by("position"))
    assert [(row.customer_id, row.source) for row in rows] == [
        (overdue.pk, StopSource.DUE), (today.pk, StopSource.DUE), (named.pk, StopSource.TASK)]
    assert all(row.stop is None for row in rows)
    assert list(plan.tasks.all()) == [task]
    assert plan.team == actors.team_a and plan.status == PlanStatus.DRAFT


def test_one_plan_per_person_per_day(actors, make_plan):
    first = make_plan()
    with pytest.raises(Conflict) as refused:
        make_plan()
    assert refused.value.code == "duplicate" and refused.value.extra == {"plan": first.pk}
    assert DailyPlan.objects.count() == 1
    assert make_plan(by=actors.rep_a2).pk != first.pk


def test_a_customer_not_ones_own_is_not_found_and_changes_nothing(actors, make_customer, make_plan):
    mine = make_customer("自己的客户")
    colleague = make_customer("同事的秘密客户", owner=actors.rep_a2)
    pooled = Customer.objects.create(owner=None, name="公海客户")
    for other in (colleague, pooled):
        with pytest.raises(NotFound) as refused:
            make_plan(customers=[mine.pk, other.pk])
        assert other.name not in str(refused.value)
    assert DailyPlan.objects.count() == 0
    plan = make_plan(customers=[mine.pk])
    with pytest.raises(NotFound):
        services.plan_update(by=actors.rep_a1, plan=plan, version=plan.version, route=[colleague.pk])
    assert [row.customer_id for row in plan.stops.all()] == [mine.pk]


def test_a_plan_is_for_today_or_a_later_day(make_plan):
    with pytest.raises(Invalid):
        make_plan(day=DAY - dt.timedelta(days=1))
    with pytest.raises(Invalid):
        make_plan(day=DAY + dt.timedelta(days=40))


def test_the_route_is_kept_in_order_and_a_stop_joins_the_list(actors, make_customer, make_plan):
    a, b, c = (make_customer(name) for name in ("甲公司", "乙公司", "丙公司"))
    plan = make_plan(customers=[a.pk, b.pk])
    plan = services.plan_update(by=actors.rep_a1, plan=plan, version=plan.version, route=[c.pk, a.pk])
    rows = {row.customer_id: row for row in plan.stops.all()}
    assert (rows[c.pk].stop, rows[a.pk].stop, rows[b.pk].stop) == (1, 2, None)
    assert rows[c.pk].source == StopSource.ADDED


def test_a_stale_edit_is_refused_and_changes_nothing(actors, make_plan):
    plan = make_plan()
    read = plan.version
    services.plan_update(by=actors.rep_a1, plan=plan, version=read, materials="产品手册")
    with pytest.raises(Conflict) as refused:
        services.plan_update(by=actors.rep_a1, plan=plan, version=read, materials="样品")
    assert refused.value.code == "stale"
    assert DailyPlan.objects.get(pk=plan.pk).materials == "产品手册"


def test_only_the_person_changes_their_plan(actors, make_plan):
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        services.plan_update(by=actors.lead_a, plan=plan, materials="组长改的")
    with pytest.raises(NotFound):
        services.plan_update(by=actors.rep_a2, plan=plan, materials="同事改的")


def test_submitted_in_the_window_is_on_time_after_the_deadline_late(actors, make_plan, clock):
    clock.set(local(2026, 3, 4, 9, 10))
    on_time = services.plan_submit(by=actors.rep_a1, plan=make_plan())
    assert on_time.status == PlanStatus.SUBMITTED and not on_time.late
    clock.set(local(2026, 3, 4, 9, 31))
    late = services.plan_submit(by=actors.rep_a2, plan=make_plan(by=actors.rep_a2))
    assert late.status == PlanStatus.SUBMITTED and late.late
    with pytest.raises(Conflict):
        services.plan_update(by=actors.rep_a1, plan=on_time, materials="提交后再改")


def test_the_lead_approves_or_returns_and_nobody_decides_their_own(actors, make_plan):
    plan = services.plan_submit(by=actors.rep_a1, plan=make_plan())
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=actors.rep_a1, plan=plan)
    with pytest.raises(NotFound):
        services.plan_approve(by=actors.lead_b, plan=plan)
    with pytest.raises(Invalid):
        services.plan_return(by=actors.lead_a, plan=plan, comment=" ")
    returned = services.plan_return(by=actors.lead_a, plan=plan, comment="下午的拜访太多")
    assert returned.status == PlanStatus.RETURNED and returned.decided_by == actors.lead_a
    again = services.plan_submit(by=actors.rep_a1, plan=returned)
    approved = services.plan_approve(by=actors.director, plan=again)
    assert approved.status == PlanStatus.APPROVED
    with pytest.raises(Conflict) as refused:
        services.plan_approve(by=actors.lead_a, plan=approved)
    assert refused.value.code == "plan_state"


def test_a_leads_own_plan_goes_to_the_director(actors, make_plan):
    plan = services.plan_submit(by=actors.lead_a, plan=make_plan(by=actors.lead_a))
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=actors.lead_a, plan=plan)
    assert services.plan_approve(by=actors.director, plan=plan).status == PlanStatus.APPROVED


def test_ordering_the_route_shortens_it_and_keeps_unplaced_stops_last(actors, make_customer, make_plan):
    # four stops along a line in Suzhou, given in a zig-zag order, and one without a location
    west = make_customer("西", at=("31.300000", "120.500000"))
    east = make_customer("东", at=("31.300000", "120.700000"))
    middle = make_customer("中", at=("31.300000", "120.600000"))
    nowhere = make_customer("无位置")
    far_east = make_customer("远东", at=("31.300000", "120.800000"))
    route = [west.pk, east.pk, nowhere.pk, middle.pk, far_east.pk]
    plan = make_plan(customers=route, route=route)
    found = services.plan_optimise_route(by=actors.rep_a1, plan=plan, version=plan.version)
    assert found.after_km < found.before_km and found.saved_km > 0
    order = [row.customer_id for row in sorted(plan.stops.exclude(stop=None), key=lambda row: row.stop)]
    assert order[-1] == nowhere.pk
    assert order[:4] in ([west.pk, middle.pk, east.pk, far_east.pk], [far_east.pk, east.pk, middle.pk, west.pk])


def test_a_new_plan_carries_what_the_previous_working_days_summary_planned(actors, make_plan):
    # R7/R17: 2026-03-03 is the working day before DAY; an older summary's plan is not carried
    summary_services.summary_submit(by=actors.rep_a1, day=DAY - dt.timedelta(days=2), done="拜访两家",
                                    tomorrow="旧计划")
    summary_services.summary_submit(by=actors.rep_a1, day=DAY - dt.timedelta(days=1), done="拜访三家",
                                    tomorrow="上午回访星河科技，下午送样品")
    assert make_plan().carried_over == "上午回访星河科技，下午送样品"
    assert make_plan(by=actors.rep_a2).carried_over == ""
