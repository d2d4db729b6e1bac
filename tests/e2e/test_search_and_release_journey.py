"""A rep on a phone (375×812): finds a demo customer from the header's search box by its 字号 (two characters
in the middle of the name) and by the last four digits of a phone (R15 search), and releases a customer to
the public pool with a reason, confirmed, which the pool then shows (R15)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.customers import services
from salesops.customers.models import Contact, Customer, OwnershipEvent
from salesops.demo.people import DEMO_PASSWORD, TEAMS, load_demo
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

PHONE = {"locale": "zh-CN", "viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url(f"{base_url}/")


def header_search(page: Page, text: str) -> None:
    box = page.locator("#site-search-q")
    expect(box).to_be_visible()
    box.fill(text)
    box.press("Enter")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.fixture
def demo(transactional_db: None) -> None:
    load_demo(progress=False)


def test_rep_finds_demo_customers_by_a_part_of_the_name_and_the_last_four_digits(
    demo: None, new_page: Callable[..., Page], live_server: LiveServer, browser_log: BrowserLog
) -> None:
    rep = User.objects.get(username=TEAMS[0].reps[0])
    mine = Customer.objects.filter(owner=rep, is_active=True).order_by("pk")
    by_name = mine[0]
    part = by_name.name[2:4]  # after the two-character city: the brand, how people name a firm (字号)
    assert not by_name.name.startswith(part)
    contact = Contact.objects.filter(customer__in=mine.exclude(pk=by_name.pk)).order_by("pk").first()
    assert contact is not None
    last_four = contact.phone[-4:]

    page = new_page(**PHONE)
    log_in(page, live_server.url, rep.username, DEMO_PASSWORD)
    header_search(page, part)
    expect(page).to_have_url(f"{live_server.url}/customers/?q={quote(part)}")
    expect(page.get_by_test_id(f"customer-{by_name.pk}")).to_contain_text(by_name.name)
    for row in page.locator(".customer-name").all_inner_texts():
        assert part in row, row  # every row found has the part somewhere in its name

    header_search(page, last_four)
    expect(page.get_by_test_id(f"customer-{contact.customer_id}")).to_be_visible()
    page.get_by_test_id(f"customer-{contact.customer_id}").locator(".customer-name").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{contact.customer_id}/")
    expect(page.get_by_test_id("contacts")).to_contain_text(contact.phone)
    browser_log.assert_clean()


def test_rep_releases_a_customer_with_a_reason_and_the_pool_shows_it(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    rep = actors.rep_a1
    customer = services.customer_create(by=rep, name="杭州禾木新材料科技有限公司", phone="0571-8765 4321")
    reason = "客户今年没有采购预算"

    page = new_page(**PHONE)
    log_in(page, live_server.url, rep.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_test_id("release").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/release/")
    expect(page.get_by_test_id("release-question")).to_contain_text(customer.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_test_id("release-confirm").click()  # no reason: refused, nothing changes (R15)
    expect(page.get_by_test_id("error-reason")).to_be_visible()
    assert Customer.objects.get(pk=customer.pk).owner_id == rep.pk

    page.fill("#id_reason", reason)
    page.get_by_test_id("release-confirm").click()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator(".messages")).to_contain_text(customer.name)
    expect(page.get_by_test_id("owner")).to_have_text("公海")
    assert Customer.objects.get(pk=customer.pk).owner_id is None
    event = OwnershipEvent.objects.get(customer=customer, kind=OwnershipEvent.Kind.RELEASE)
    assert (event.from_user_id, event.reason) == (rep.pk, reason)

    page.goto(f"{live_server.url}/pool/")
    expect(page.get_by_test_id(f"pool-reason-{customer.pk}")).to_have_text(reason)
    expect(page.get_by_test_id(f"pool-return-{customer.pk}")).to_contain_text(rep.display_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    browser_log.assert_clean(allowed_statuses=(400,))
