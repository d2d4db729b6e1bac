"""A lead on a phone (375 px) transfers a customer from its page with a reason (R15): the reason shows in
the customer's history (R12) and the new owner finds the customer in their inbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.customers.models import Customer
from salesops.customers.services import customer_create
from salesops.testing.actors import Actors
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e
WIDTH = 375
REASON = "张伟本月调往华南区，由李娜接手跟进"


def phone_as(new_page: Callable[..., Page], live_server: LiveServer, user: User) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = new_page(viewport={"width": WIDTH, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True)
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_lead_transfers_from_the_customer_page_and_the_new_owner_is_told(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    customer = customer_create(by=actors.lead_a, owner=actors.rep_a1, name="杭州禾木新材料科技有限公司", grade="B",
                               grade_reason="有预算")
    page = phone_as(new_page, live_server, actors.lead_a)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_test_id("transfer").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/transfer/")
    expect(page.get_by_test_id("transfer-current")).to_contain_text("张伟")
    fits(page)
    choices = page.locator("#id_to_user option").all_inner_texts()
    assert "张伟" not in choices and "陈组长" not in choices  # neither the owner nor the lead themselves
    page.select_option("#id_to_user", label="李娜")
    page.fill("#id_reason", REASON)
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("transfer-submit").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    assert asked and "李娜" in asked[0] and customer.name in asked[0]
    expect(page.locator(".messages")).to_contain_text("1 个客户已转给 李娜。")
    expect(page.get_by_test_id("owner")).to_have_text("李娜")
    change = page.locator("[data-testid=timeline] li[data-field=owner]")
    expect(change).to_contain_text("张伟 → 李娜")
    expect(change).to_contain_text(REASON)
    fits(page)
    assert Customer.objects.get(pk=customer.pk).owner_id == actors.rep_a2.pk

    inbox = phone_as(new_page, live_server, actors.rep_a2)
    inbox.goto(f"{live_server.url}/inbox/")
    told = inbox.get_by_test_id("notifications").locator("li").first
    expect(told).to_contain_text("1 个客户已归你负责")
    expect(told).to_contain_text(customer.name)
    expect(told).to_contain_text(REASON)
    fits(inbox)
    told.get_by_role("button", name="打开").click()
    expect(inbox).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    browser_log.assert_clean()
