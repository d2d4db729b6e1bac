"""A rep's morning on a phone (375×812): the customers due today (R10), a follow-up logged in a few taps
with a check-in (R11), and the next due date moving on by the grade's cadence on the working calendar."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

PHONE = {
    "locale": "zh-CN",
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "permissions": ["geolocation"],
    "geolocation": {"latitude": 31.232, "longitude": 121.475},
}


def test_rep_logs_a_followup_from_the_due_list_on_a_phone(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    today = timezone.localdate()
    rep = actors.rep_a1
    customer = Customer.objects.create(
        name="杭州远帆纺织有限公司", owner=rep, grade="A", graded_at=timezone.now(), next_due_at=today,
        phone="0571-88886666", latitude=Decimal("31.240000"), longitude=Decimal("121.490000"),
    )
    expected_due = work_calendar().next_workday(today, rule_settings().cadence_a_days)

    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/login/?next=/today/")
    page.fill("#id_username", rep.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url(f"{live_server.url}/today/")
    item = page.get_by_test_id(f"due-{customer.pk}")
    expect(item).to_contain_text(customer.name)
    expect(item.get_by_test_id("due-date")).to_have_text(today.isoformat())

    item.get_by_test_id(f"log-{customer.pk}").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/followup/")
    # The contact time defaults to now and the next date to the cadence's.
    expect(page.locator("#id_next_followup_at")).to_have_value(expected_due.isoformat())
    expect(page.locator("#id_contacted_at")).to_have_value(re.compile(rf"^{today.isoformat()}T\d\d:\d\d$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_test_id("channel-visit").click()
    expect(page.locator("input[name=channel][value=visit]")).to_be_checked()
    page.fill("#id_key_points", "到厂看了样品，客户关心交期")
    page.locator("[data-checkin-button]").click()
    expect(page.locator("[data-checkin-status]")).to_have_text(
        page.locator("[data-checkin-text-ok]").inner_text()
    )
    page.get_by_test_id("followup-submit").click()

    expect(page).to_have_url(f"{live_server.url}/today/")
    expect(page.locator(".messages")).to_contain_text(expected_due.isoformat())
    expect(page.get_by_test_id(f"due-{customer.pk}")).to_have_count(0)
    followup = FollowUp.objects.get(customer=customer)
    assert (followup.channel, followup.late, followup.author_id) == ("visit", False, rep.pk)
    assert followup.checkin_distance_m == 1681
    assert Customer.objects.get(pk=customer.pk).next_due_at == expected_due
    browser_log.assert_clean()
