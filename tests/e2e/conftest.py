"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is the system one (``/usr/bin/chromium``, installed by ``make test``); Playwright's own browser
downloads are never used. Every page records its console and uncaught errors in ``browser_log``; tests
end with ``browser_log.assert_clean()``, which fails on a Content-Security-Policy violation, a script error
or any other console error. A failing test leaves a screenshot and the page's HTML under
``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, sync_playwright

from tests.conftest import item_failed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


@dataclass
class BrowserLog:
    """What the browser reported while a test ran: console messages and uncaught page errors."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        # Browsers ask for /favicon.ico on their own; its absence is not an error of the page.
        if url.endswith("/favicon.ico"):
            return
        self.console.append(f"{message.type}: {message.text} ({url})")

    def on_page_error(self, error: Error) -> None:
        self.page_errors.append(str(error))

    @property
    def csp_violations(self) -> list[str]:
        return [line for line in self.console if any(marker in line for marker in CSP_MARKERS)]

    def errors(self, allowed_statuses: tuple[int, ...] = ()) -> list[str]:
        """Console errors, less the failed loads of documents answered on purpose with an allowed status."""
        allowed = tuple(f"the server responded with a status of {status} " for status in allowed_statuses)
        return [
            line for line in self.console if line.startswith("error:") and not any(a in line for a in allowed)
        ]

    def assert_clean(self, *, allowed_statuses: tuple[int, ...] = ()) -> None:
        assert self.csp_violations == [], f"CSP violations: {self.csp_violations}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
        errors = self.errors(allowed_statuses)
        assert errors == [], f"console errors: {errors}"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A headless Chromium for one test.

    Playwright's sync API keeps an asyncio loop marked as running in this thread while it is started.
    Django then refuses ORM calls (its async guard) and keeps this thread's database connections apart
    from the ones it uses outside the loop. The tests' ORM calls between browser steps are plain
    synchronous code, so the guard is lifted for the browser's lifetime only, and the connections opened
    meanwhile are closed before the loop stops (else PostgreSQL could not drop the test database).
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does).")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def new_page(
    browser: Browser, browser_log: BrowserLog, request: pytest.FixtureRequest, artifacts_dir: Path
) -> Iterator[Callable[..., Page]]:
    """``new_page(**context_options)``: a page in a fresh browser context (own cookies), watched by browser_log."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(**options: object) -> Page:
        context = browser.new_context(**options)  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", browser_log.on_console)
        page.on("pageerror", browser_log.on_page_error)
        pages.append(page)
        return page

    yield make
    if item_failed(request.node):
        _save_artifacts(pages, request.node.nodeid, artifacts_dir)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A desktop-sized page (1280×800) speaking whatever the server chooses (no Accept-Language)."""
    return new_page(viewport={"width": 1280, "height": 800})


def _save_artifacts(pages: list[Page], nodeid: str, artifacts_dir: Path) -> None:
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", nodeid).strip("_")
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        page.screenshot(path=str(artifacts_dir / f"{stem}-{number}.png"), full_page=True)
        (artifacts_dir / f"{stem}-{number}.html").write_text(page.content(), encoding="utf-8")
