"""The day's summary on a phone (R17, R5): a rep at 375×812 opens today's summary with the day's visit
already ticked, adds two items not done with their reasons, writes tomorrow's plan and submits; from the
submitted summary they raise a problem, which lands in the team's list and brings them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.core.clock import day_start, local_today
from salesops.customers import services as customer_services
from salesops.daily.problems.models import Problem, ProblemSource
from salesops.daily.summaries.models import DailySummary
from salesops.followups.services import followup_create
from salesops.testing.actors import Actors
from tests.e2e.conftest import BrowserLog
from tests.e2e.test_task_journey import PHONE, log_in

pytestmark = pytest.mark.e2e


def test_rep_submits_the_summary_with_a_reason_and_raises_a_problem_from_it(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
) -> None:
    rep = actors.rep_a1
    customer = customer_services.customer_create(by=rep, owner=rep, name="苏州恒通精密机械有限公司")
    visit = followup_create(by=rep, customer=customer, channel="visit", key_points="确认二期预算",
                            contacted_at=max(day_start(local_today()), timezone.now() - dt.timedelta(minutes=1)))

    phone = new_page(**PHONE)
    log_in(phone, live_server, rep.username, "/summaries/today/")
    ticked = phone.locator(f"input[name=done_item][value='visit:{visit.pk}']")
    expect(ticked).to_be_checked()
    phone.get_by_test_id("not-done-item").nth(0).fill("回访无锡华锐")
    phone.get_by_test_id("not-done-reason").nth(0).fill("客户临时爽约，改约周五")
    phone.get_by_test_id("add-not-done").click()
    expect(phone.get_by_test_id("not-done-item")).to_have_count(2)
    phone.get_by_test_id("not-done-item").nth(1).fill("提交常州力达的报价单")
    phone.get_by_test_id("not-done-reason").nth(1).fill("价格审批还没下来")
    phone.get_by_test_id("tomorrow").fill("上午拜访无锡华锐，下午跟进报价审批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_test_id("summary-submit").click()
    expect(phone.locator(".messages")).to_contain_text("小结已提交")
    expect(phone.get_by_test_id("not-done")).to_contain_text("价格审批还没下来")
    summary = DailySummary.objects.get(user=rep)
    assert summary.date == local_today() and len(summary.not_done) == 2
    assert summary.done_items[0]["ref"] == visit.pk
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_test_id("raise-problem").click()
    phone.get_by_label("问题").fill("报价审批太慢，影响客户跟进")
    phone.get_by_label("类别").select_option("pricing")
    phone.get_by_label("详细说明").fill("常州力达的报价等了三天还没批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_test_id("problem-save").click()
    expect(phone).to_have_url(f"{live_server.url}/summaries/{summary.pk}/")
    expect(phone.locator(".messages")).to_contain_text("问题已提出")
    problem = Problem.objects.get()
    assert (problem.team, problem.raised_by, problem.source) == (actors.team_a, rep, ProblemSource.SUMMARY)
    phone.goto(f"{live_server.url}/problems/")
    expect(phone.get_by_test_id("problems")).to_contain_text("报价审批太慢")
    browser_log.assert_clean()
