"""The day on the home page, in Chromium.

A rep on a 375 px phone logs a follow-up from the home page in at most 6 interactions (R11): every click,
fill and select is counted. Then the home page of every role of the demo organisation, at 375 and 1440 px
in Chinese and English: its own sections shown, nothing wider than the screen; screenshots land in
``test-artifacts/screens/home/<language>/`` for people to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.customers.models import Customer
from salesops.demo.people import ADMIN, DIRECTOR, TEAMS, load_demo
from salesops.followups.models import FollowUp
from salesops.organisation.selectors import work_calendar
from salesops.testing.actors import Actors
from tests.e2e.conftest import BrowserLog
from tests.e2e.test_screens import OVERFLOW

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
MOST_INTERACTIONS = 6


class Interactions:
    """The user's actions on a page, counted: each click, fill or select is one."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def fill(self, target: Locator, text: str) -> None:
        self.count += 1
        target.fill(text)

    def select(self, target: Locator, value: str) -> None:
        self.count += 1
        target.select_option(value)


def logged_in(new_page: Callable[..., Page], live_server: LiveServer, user: User, **options: object) -> Page:
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def fits(page: Page) -> None:
    overflow = page.evaluate(OVERFLOW)
    assert overflow["scroll"] <= overflow["width"], overflow


def test_rep_logs_a_followup_from_home_in_six_interactions(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog,
    artifacts_dir: Path,
) -> None:
    rep = actors.rep_a1
    today = local_today()
    customer = Customer.objects.create(
        name="杭州远帆纺织有限公司", owner=rep, grade="B", graded_at=timezone.now(),
        next_due_at=today - dt.timedelta(days=3), phone="0571-88886666",
    )
    FollowUp.objects.create(
        customer=customer, author=rep, contacted_at=timezone.now() - dt.timedelta(days=5), channel="phone",
        key_points="客户要报价", next_step="带样品上门",
    )
    in_three_days = work_calendar().workday_on_or_after(today + dt.timedelta(days=3))

    page = logged_in(new_page, live_server, rep, locale="zh-CN", **PHONE)
    page.goto(f"{live_server.url}/")
    item = page.get_by_test_id(f"due-{customer.pk}")
    expect(item.get_by_test_id("due-label")).to_have_text("逾期 3 天")
    expect(item.locator('a[href="tel:0571-88886666"]')).to_have_text("拨打电话")
    expect(page.get_by_test_id("count-overdue").locator(".count-value")).to_have_text("1")
    fits(page)

    user = Interactions()
    user.click(item.get_by_test_id(f"log-{customer.pk}"))
    expect(page.get_by_test_id("last-step")).to_contain_text("带样品上门")
    expect(page.get_by_test_id("visit-only")).to_be_hidden()  # check-in and photos: for a visit only
    save = page.get_by_test_id("followup-submit")
    box = save.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 812  # Save sits on the screen, not below it
    fits(page)

    user.click(page.get_by_test_id("channel-visit"))
    expect(page.get_by_test_id("visit-only")).to_be_visible()
    user.fill(page.locator("#id_key_points"), "到厂看了样品，客户关心交期")
    user.click(page.get_by_test_id("quick-date-2"))
    expect(page.locator("#id_next_followup_at")).to_have_value(in_three_days.isoformat())
    user.fill(page.locator("#id_next_step"), "周五前发交期确认")
    shots = artifacts_dir / "screens" / "home" / "zh-hans"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "rep-followup-form-375.png"))
    user.click(save)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text(customer.name)
    expect(page.get_by_test_id("count-overdue").locator(".count-value")).to_have_text("0")
    assert user.count <= MOST_INTERACTIONS, user.count
    record = FollowUp.objects.filter(customer=customer).latest("id")
    assert (record.channel, record.key_points, record.next_step, record.next_followup_at, record.author_id) == (
        "visit", "到厂看了样品，客户关心交期", "周五前发交期确认", in_three_days, rep.pk
    )
    assert record.late is False
    browser_log.assert_clean()


ROLES = {
    "admin": (ADMIN.username, ("setup-state", "job-health", "teams-figures")),
    "director": (DIRECTOR.username, ("teams-figures",)),
    "lead": (TEAMS[0].lead, ("team-people", "late-records", "silent")),
    "rep": (TEAMS[0].reps[0], ("due-counts", "home-due", "home-records")),
}


def test_home_of_every_role_fits_both_screens_in_both_languages(
    transactional_db: None, new_page: Callable[..., Page], live_server: LiveServer, browser_log: BrowserLog,
    artifacts_dir: Path,
) -> None:
    load_demo(progress=False)
    problems = []
    for role, (username, sections) in ROLES.items():
        user = User.objects.get(username=username)
        for language in ("zh-hans", "en"):
            user.language = language
            user.save(update_fields=["language"])
            page = logged_in(new_page, live_server, user, viewport={"width": 375, "height": 800})
            shots = artifacts_dir / "screens" / "home" / language
            shots.mkdir(parents=True, exist_ok=True)
            for width in (375, 1440):
                page.set_viewport_size({"width": width, "height": 800})
                response = page.goto(f"{live_server.url}/")
                assert response is not None and response.status == 200
                for section in sections:
                    expect(page.get_by_test_id(section).first).to_be_visible()
                page.screenshot(path=str(shots / f"{role}-{width}.png"), full_page=True)
                overflow = page.evaluate(OVERFLOW)
                if overflow["scroll"] > overflow["width"]:
                    problems.append(f"{role} {language} {width}px: {overflow}")
                # On a desktop the table beside a chart shows every column without its own scroll bar.
                hidden = page.locator(".figures-table").evaluate_all(
                    "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth).length"
                )
                if width == 1440 and hidden:
                    problems.append(f"{role} {language} {width}px: {hidden} figures table(s) cut off")
            page.close()
    assert problems == []
    browser_log.assert_clean()
