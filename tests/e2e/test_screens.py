"""Every page of the menu, as each role of the demo organisation sees it, on a 375 px phone and a 1440 px
desktop, in Chinese and in English: nothing wider than the screen, and no English left on a Chinese page
where the catalogue has the Chinese words.

The pages are the links of the rendered menu (and the account page of the user menu), so a page joins
this check when it joins the menu. The Django admin and the API docs are the libraries' own pages and are
left out. Screenshots land in ``test-artifacts/screens/<language>/<role>/`` for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from salesops.accounts.models import User
from salesops.demo.people import ADMIN, DIRECTOR, TEAMS, load_demo
from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
WIDTHS = (375, 1440)
ROLES = {"admin": ADMIN.username, "director": DIRECTOR.username, "lead": TEAMS[0].lead, "rep": TEAMS[0].reps[0]}
OUTSIDE_OUR_PAGES = ("/admin/", "/api/")

# The page's own words: visible text nodes, placeholders, labels for screen readers and tooltips. Text in
# an element that declares another language (the "English" switch on a Chinese page) is that language's.
PAGE_WORDS = """() => {
  const lang = document.documentElement.lang;
  const own = (el) => (el.closest("[lang]") || document.documentElement).lang === lang;
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.replace(/\\s+/g, " ").trim();
    if (text && el && !el.closest("script, style, template") && el.checkVisibility() && own(el)) words.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (!own(el)) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) words.push(value);
    }
  }
  return words;
}"""

# What sticks out past the right edge: the document's width and the outermost elements that are too wide.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !(el.parentElement && culprits.includes(el.parentElement))) {
      culprits.push(el);
    }
  }
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5).map(name)};
}"""


def translated_english() -> set[str]:
    """The English msgids that the catalogue says in Chinese (placeholders and plurals left out)."""
    return {
        entry.msgid
        for entry in polib.pofile(str(PO))
        if not entry.obsolete and CJK.search(entry.msgstr) and re.search(r"[A-Za-z]{2}", entry.msgid)
        and not re.search(r"%|\{", entry.msgid)
    }


def untranslated(words: list[str], english: set[str]) -> list[str]:
    return sorted({word for word in words if word in english or word.rstrip(":：.") in english})


def test_untranslated_finds_catalogue_english_only() -> None:
    """The heuristic can fail: a catalogue msgid shown as is counts, Chinese text and names do not."""
    english = {"Customers", "Log out"}
    assert untranslated(["客户", "Customers", "Log out:", "张伟", "ACME Ltd"], english) == ["Customers", "Log out:"]
    assert "Log out" in translated_english()


@pytest.fixture
def demo(transactional_db: None) -> None:
    load_demo(progress=False)


def logged_in_page(new_page: Callable[..., Page], live_server: LiveServer, user: User) -> Page:
    client = Client()
    client.force_login(user)
    page = new_page(viewport={"width": WIDTHS[0], "height": 800}, locale="zh-CN")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def menu_pages(page: Page, base_url: str) -> list[str]:
    page.goto(f"{base_url}/")
    links = page.locator("#main-nav a, .user-menu a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [path for path in dict.fromkeys(links) if not path.startswith(OUTSIDE_OUR_PAGES)]


@pytest.mark.parametrize("role", list(ROLES))
def test_menu_pages_fit_both_screens_and_speak_the_language(
    demo: None, new_page: Callable[..., Page], live_server: LiveServer, browser_log: BrowserLog,
    artifacts_dir: Path, role: str,
) -> None:
    user = User.objects.get(username=ROLES[role])
    problems: list[str] = []
    for language in ("zh-hans", "en"):
        user.language = language
        user.save(update_fields=["language"])
        page = logged_in_page(new_page, live_server, user)
        paths = menu_pages(page, live_server.url)
        assert len(paths) >= 5, paths
        problems += check_pages(page, live_server.url, paths, language, artifacts_dir / "screens" / language / role)
    assert problems == []
    browser_log.assert_clean()


def check_pages(page: Page, base_url: str, paths: list[str], language: str, shots: Path) -> list[str]:
    """Each page at each width: its screenshot, and what is wrong with it."""
    english = translated_english() if language == "zh-hans" else set()
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(f"{base_url}{path}")
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            assert page.locator("html").get_attribute("lang") == language, path
            slug = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(shots / f"{width}-{slug}.png"), full_page=True)
            overflow = page.evaluate(OVERFLOW)
            if overflow["scroll"] > overflow["width"]:
                problems.append(f"{language} {width}px {path}: {overflow['scroll']}px wide: {overflow['culprits']}")
            left = untranslated(page.evaluate(PAGE_WORDS), english) if english else []
            if left:
                problems.append(f"{width}px {path}: English on the Chinese page: {left}")
    return problems
