"""Controls as a browser draws them: the chosen language reads clearly, a radio dot and a checkbox sit beside
their words (not 40 px circles or 44 px boxes on a line of their own), and the header's customer search box
fits a 375 px phone and a 1440 px desktop and searches the customer list."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.customers.services import customer_create
from salesops.testing.actors import Actors
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

# WCAG contrast ratio of an element's text colour against its own background colour.
CONTRAST = """(el) => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""

# Where a box or dot sits against the first words of its label.
BESIDE = """(input) => {
  const label = input.closest("label");
  const text = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()) ||
    label.querySelector(":scope > :not(input)");
  const range = document.createRange();
  range.selectNodeContents(text);
  const words = range.getClientRects()[0];
  const box = input.getBoundingClientRect();
  return {width: box.width, height: box.height, gap: words.left - box.right,
          offset: Math.abs((box.top + box.bottom) / 2 - (words.top + words.bottom) / 2)};
}"""


def page_as(new_page: Callable[..., Page], live_server: LiveServer, user: User, width: int = 375) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = new_page(viewport={"width": width, "height": 800}, locale="zh-CN")
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def assert_beside_its_words(page: Page, selector: str) -> None:
    inputs = page.locator(selector)
    assert inputs.count() >= 2
    for index in range(inputs.count()):
        place = inputs.nth(index).evaluate(BESIDE)
        assert place["width"] <= 24 and place["height"] <= 24, place
        assert 0 <= place["gap"] <= 16, place  # to the left of the words, close by
        assert place["offset"] <= 4, place  # on the same line


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_chosen_language_button_reads_clearly(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog, language: str
) -> None:
    actors.rep_a1.language = language
    actors.rep_a1.save(update_fields=["language"])
    page = page_as(new_page, live_server, actors.rep_a1)
    page.goto(f"{live_server.url}/account/")
    chosen = page.locator(f"main button[name=language][value={language}]")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    assert chosen.evaluate(CONTRAST) >= 4.5
    other = page.locator("main button[name=language]:not([aria-pressed])")
    assert other.evaluate(CONTRAST) >= 4.5
    browser_log.assert_clean()


def test_the_import_kind_is_a_row_of_small_radio_dots(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    page = page_as(new_page, live_server, actors.rep_a1)
    page.goto(f"{live_server.url}/customers/import/")
    assert_beside_its_words(page, "#import-form input[type=radio]")
    browser_log.assert_clean()


@pytest.mark.parametrize("width", [375, 1440])
def test_the_transfer_checkbox_sits_beside_the_customer_name(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog, width: int
) -> None:
    for name in ("杭州禾木新材料科技有限公司", "苏州聚凯电子有限公司"):
        customer_create(by=actors.lead_a, owner=actors.rep_a1, name=name)
    page = page_as(new_page, live_server, actors.lead_a, width)
    page.goto(f"{live_server.url}/customers/transfer/")
    assert_beside_its_words(page, "[data-testid=transfer-form] input[type=checkbox][name=customers]")
    browser_log.assert_clean()


@pytest.mark.parametrize("width", [375, 1440])
def test_the_header_search_box_fits_the_screen_and_searches_customers(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog, width: int
) -> None:
    customer_create(by=actors.rep_a1, name="杭州禾木新材料科技有限公司")
    page = page_as(new_page, live_server, actors.rep_a1, width)
    page.goto(f"{live_server.url}/inbox/")
    box = page.get_by_role("searchbox", name="按名称、电话或拼音首字母搜索客户")
    expect(box).to_be_visible()
    place = box.bounding_box()
    assert place is not None
    assert place["x"] >= 0 and place["x"] + place["width"] <= width
    assert place["width"] >= (250 if width == 375 else 200)  # room to type a name on a phone
    assert place["height"] >= 44  # a thumb's target
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and place["y"] < brand["y"] + 120  # in the header, not below the page's content

    box.fill("杭州禾木")
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/customers/?q=%E6%9D%AD%E5%B7%9E%E7%A6%BE%E6%9C%A8")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["杭州禾木"]}
    expect(page.get_by_test_id("customer-list")).to_contain_text("杭州禾木新材料科技有限公司")
    browser_log.assert_clean()
