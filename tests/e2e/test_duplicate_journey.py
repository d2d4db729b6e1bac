"""A rep on a phone (375×812) enters a customer whose name is close to two others (R15): the form lists
them, the one of another team without its name (R1), and "仍然新建" creates it, which the new customer's
timeline records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

PHONE = {"locale": "zh-CN", "viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_rep_creates_a_near_duplicate_after_seeing_the_candidates(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    rep = actors.rep_a1
    mine = services.customer_create(by=rep, name="星河科技（上海）有限公司")
    theirs = services.customer_create(by=actors.rep_b1, name="星河科技（北京）有限公司")

    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/login/?next=/customers/new/")
    page.fill("#id_username", rep.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url(f"{live_server.url}/customers/new/")
    page.fill("#id_name", "星河科技")
    page.get_by_role("button", name="保存").click()

    warning = page.get_by_test_id("possible-duplicate")
    expect(warning).to_contain_text("已有名称相近的客户")
    expect(warning.get_by_test_id(f"match-{mine.pk}")).to_have_text("星河科技（上海）有限公司")
    expect(warning.get_by_test_id(f"match-{theirs.pk}")).to_contain_text("王*")
    expect(warning).not_to_contain_text("北京")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Customer.objects.count() == 2

    page.get_by_test_id("confirm-new").click()
    created = Customer.objects.get(name="星河科技")
    expect(page).to_have_url(f"{live_server.url}/customers/{created.pk}/")
    expect(page.locator('[data-field="created"]')).to_contain_text(f"#{mine.pk}")
    browser_log.assert_clean(allowed_statuses=(400,))
