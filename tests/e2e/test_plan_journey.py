"""The daily plan (R7): a rep on a phone (375×812) opens today's plan, pre-filled with the customers due,
puts them on the visit route, moves a stop with the keyboard, asks for samples and submits; the lead, at a
desk, approves the plan and fulfils the request from the team's plans of the day."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.customers.models import Customer
from salesops.daily.plans.models import DailyPlan, PlanStatus, RequestStatus
from salesops.testing.actors import Actors
from tests.e2e.conftest import BrowserLog
from tests.e2e.test_task_journey import DESK, PHONE, log_in

pytestmark = pytest.mark.e2e


def test_rep_submits_the_plan_and_the_lead_approves_it_and_fulfils_the_request(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
) -> None:
    today = timezone.localdate()
    near, far = (Customer.objects.create(owner=actors.rep_a1, name=name, grade="A", next_due_at=today,
                                         latitude=Decimal("31.3"), longitude=Decimal(lon))
                 for name, lon in (("苏州恒通精密机械有限公司", "120.58"), ("昆山华锐电子有限公司", "120.98")))

    phone = new_page(**PHONE)
    log_in(phone, live_server, actors.rep_a1.username, "/plans/")
    expect(phone.get_by_test_id("prefill-customers")).to_contain_text(near.name)
    phone.get_by_test_id("make-plan").click()
    expect(phone.locator(".messages")).to_contain_text("计划已生成")
    plan = DailyPlan.objects.get(user=actors.rep_a1, date=today)
    for customer in (near, far):
        phone.get_by_test_id(f"visit-{customer.pk}").click()
        expect(phone.get_by_test_id(f"stop-{customer.pk}")).to_be_visible()
    phone.get_by_test_id(f"up-{far.pk}").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("plan-route").locator("li").first).to_contain_text(far.name)
    phone.get_by_label("资源类型").select_option("samples")
    phone.get_by_label("需要什么").fill("客户要试用样品，申请两套")
    phone.get_by_test_id("request-add").click()
    expect(phone.get_by_test_id("plan-requests")).to_contain_text("待处理")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_test_id("plan-submit").click()
    expect(phone.get_by_test_id("plan-status")).to_have_text("已提交")

    desk = new_page(**DESK)
    log_in(desk, live_server, actors.lead_a.username, "/plans/team/")
    row = desk.get_by_test_id(f"person-{actors.rep_a1.pk}")
    expect(row).to_contain_text("已提交")
    row.get_by_test_id(f"approve-{plan.pk}").click()
    expect(desk.locator(".messages")).to_contain_text("已通过")
    request = plan.requests.get()
    item = desk.get_by_test_id(f"team-request-{request.pk}")
    item.get_by_label("如何满足").fill("样品下午寄出")
    item.get_by_test_id(f"fulfil-{request.pk}").click()
    expect(desk.locator(".messages")).to_contain_text("申请已满足")
    plan.refresh_from_db()
    request.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == actors.lead_a
    assert (request.status, request.comment) == (RequestStatus.FULFILLED, "样品下午寄出")
    browser_log.assert_clean()
