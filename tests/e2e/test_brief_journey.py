"""The morning meeting (R3) in Chromium: the lead opens the next morning's brief at a desk, switches to the
meeting view for the projector and pages through it with the keyboard (arrow keys, PageDown, space, as a
clicker sends them): one section per screen, the counter and the section change, the charts draw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.customers.models import Customer
from salesops.daily.brief.display import sections
from salesops.daily.brief.selectors import brief_of, latest_brief_day
from salesops.daily.summaries.models import DailySummary
from salesops.daily.targets.services import day_targets_save
from salesops.followups.services import followup_create
from salesops.organisation.selectors import work_calendar
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

DESK = {"locale": "zh-CN", "viewport": {"width": 1440, "height": 900}}


def test_the_lead_runs_the_morning_brief_in_the_meeting_view_with_the_keyboard(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
) -> None:
    a = actors
    today = latest_brief_day()
    yesterday = work_calendar().previous_workday(today)
    shop = Customer.objects.create(name="杭州远帆纺织有限公司", name_key="杭州远帆纺织", owner=a.rep_a1, grade="A")
    moment = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(10)))
    followup_create(by=a.rep_a1, customer=shop, contacted_at=moment, channel="visit", key_points="确认二期需求")
    day_targets_save(by=a.lead_a, team=a.team_a, day=yesterday, team_values={"visits": 3},
                     members={a.rep_a1.pk: {"visits": 1}, a.rep_a2.pk: {"visits": 2}})
    DailySummary.objects.create(user=a.rep_a2, team=a.team_a, date=yesterday, submitted_at=moment,
                                not_done=[{"item": "拜访宁波海川", "reason": "客户临时爽约"}])
    count = len(sections(brief_of(team=a.team_a, day=today, reader=a.lead_a).content)) + 1

    page = new_page(**DESK)
    page.goto(f"{live_server.url}/login/?next=/briefs/")
    page.fill("#id_username", a.lead_a.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page.get_by_test_id("brief-day")).to_contain_text(a.team_a.name)
    expect(page.get_by_test_id("section-customers")).to_contain_text("杭州远帆纺织有限公司")
    page.get_by_test_id("open-meeting").click()

    counter = page.get_by_test_id("section-counter")
    expect(page.get_by_test_id("slide-cover")).to_be_visible()
    expect(counter).to_have_text(f"1 / {count}")
    page.keyboard.press("ArrowRight")
    yesterday_slide = page.get_by_test_id("slide-yesterday")
    expect(yesterday_slide).to_be_visible()
    expect(page.get_by_test_id("slide-cover")).to_be_hidden()
    expect(counter).to_have_text(f"2 / {count}")
    expect(yesterday_slide).to_contain_text(a.rep_a1.display_name)
    expect(yesterday_slide.locator(".brief-chart svg")).to_have_count(1)  # the chart draws once shown
    page.keyboard.press("PageDown")
    praise = page.get_by_test_id("slide-praise")
    expect(praise).to_be_visible()
    expect(praise).to_contain_text("客户临时爽约")
    page.keyboard.press(" ")
    expect(page.get_by_test_id("slide-customers")).to_contain_text("确认二期需求")
    expect(counter).to_have_text(f"4 / {count}")
    page.keyboard.press("ArrowLeft")
    expect(praise).to_be_visible()
    page.keyboard.press("End")
    expect(page.get_by_test_id("slide-today")).to_be_visible()
    expect(counter).to_have_text(f"{count} / {count}")
    page.keyboard.press("ArrowRight")  # the last section stays
    expect(counter).to_have_text(f"{count} / {count}")
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 18  # large type for the projector
    browser_log.assert_clean()
