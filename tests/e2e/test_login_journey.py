"""Browser journeys through the shell: logging in, the interface language, the phone menu, login throttling.

Covers R1 (people log in with their role) and the language rule of the shell: the interface is zh-Hans by
default, English on request, and the choice is stored on the user. Every page is checked for CSP
violations and script errors (the browser_log fixture).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")
# A Chinese sales rep's browser: asks for Chinese first.
ZH_BROWSER = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}
PHONE = {"locale": "zh-CN", "viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def zh(msgid: str) -> str:
    """The zh-Hans text the interface shows for an English msgid."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def en(msgid: str) -> str:
    with translation.override("en"):
        return gettext(msgid)


def chinese(msgid: str) -> str:
    """Like zh(), and insists that the catalogue really says it in Chinese."""
    text = zh(msgid)
    assert CJK.search(text), f"no zh-Hans translation for {msgid!r}"
    return text


def log_in(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")


def test_log_in_in_chinese_switch_to_english_and_keep_it(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    page = new_page(**ZH_BROWSER)
    rep = actors.rep_a1
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("label[for=id_password]")).to_have_text(chinese("Password"))
    expect(page.get_by_test_id("login-submit")).to_have_text(chinese("Log in"))

    log_in(page, rep.username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("who")).to_contain_text(rep.display_name)
    expect(page.get_by_test_id("today").locator(".tile-label")).to_have_text(chinese("Today"))
    expect(page.get_by_test_id("logout")).to_have_text(chinese("Log out"))

    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("today").locator(".tile-label")).to_have_text(en("Today"))
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    assert User.objects.get(pk=rep.pk).language == "en"

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("logout")).to_have_text("Log out")

    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    # A browser without the language cookie still gets Chinese before login: the choice is the user's.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    log_in(page, rep.username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("today").locator(".tile-label")).to_have_text(en("Today"))

    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    browser_log.assert_clean()


def test_phone_menu_button_opens_the_navigation(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/login/")
    log_in(page, actors.lead_a.username)
    expect(page).to_have_url(f"{live_server.url}/")
    toggle = page.locator(".menu-toggle")
    nav = page.locator("#main-nav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    people_link = nav.get_by_role("link", name=zh("Teams and people"))
    expect(people_link).to_be_visible()
    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    people_link.click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.locator("#main-nav")).to_be_hidden()
    page.locator(".menu-toggle").click()
    expect(page.locator("#main-nav")).to_be_visible()
    page.locator(".menu-toggle").click()
    expect(page.locator("#main-nav")).to_be_hidden()
    browser_log.assert_clean()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_password_shows_the_chinese_error_and_repeated_failures_lock_out(
    new_page: Callable[..., Page], live_server: LiveServer, actors: Actors, browser_log: BrowserLog
) -> None:
    page = new_page(**ZH_BROWSER)
    rep = actors.rep_b1
    page.goto(f"{live_server.url}/login/")
    wrong_login = chinese("The login name or password is wrong. Both are case-sensitive.")
    for _attempt in range(4):
        log_in(page, rep.username, "wrong-password")
        expect(page.get_by_test_id("login-error")).to_have_text(wrong_login)
        expect(page.locator("#id_username")).to_have_value(rep.username)

    log_in(page, rep.username, "wrong-password")
    expect(page.get_by_test_id("lockout")).to_be_visible()
    expect(page.locator("h1")).to_have_text(zh("Too many failed logins"))

    # Locked out means locked out: the right password does not get in either.
    page.goto(f"{live_server.url}/login/")
    log_in(page, rep.username)
    expect(page.get_by_test_id("lockout")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    # Another person on the same computer is not locked out (lockout is per login name and address).
    log_in(page, actors.rep_a1.username)
    expect(page).to_have_url(f"{live_server.url}/")
    browser_log.assert_clean(allowed_statuses=(429,))  # the lockout page answers 429 Too Many Requests
