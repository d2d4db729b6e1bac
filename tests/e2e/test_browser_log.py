"""The browser checks can fail: a page breaking the project's Content-Security-Policy is caught."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Page, Route
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import BrowserLog

pytestmark = pytest.mark.e2e

BAD_PAGE = """<!doctype html><html><head><title>probe</title></head><body>
<p style="color: red">inline style</p>
<script>document.title = "inline script ran";</script>
<button onclick="document.title = 'handler ran'">x</button>
</body></html>"""


def test_csp_violations_and_script_errors_are_caught(
    new_page: Callable[..., Page], live_server: LiveServer, browser_log: BrowserLog
) -> None:
    page = new_page()

    def serve(route: Route) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        route.fulfill(status=200, headers=headers, body=BAD_PAGE)

    page.route(f"{live_server.url}/csp-probe/", serve)
    page.goto(f"{live_server.url}/csp-probe/")
    page.click("button")
    assert page.title() == "probe"  # neither the inline script nor the handler ran
    page.evaluate("setTimeout(() => { throw new Error('probe failure'); }, 0)")
    page.wait_for_timeout(200)
    assert len(browser_log.csp_violations) >= 3, browser_log.console
    assert any("probe failure" in error for error in browser_log.page_errors)
    with pytest.raises(AssertionError, match="CSP violations"):
        browser_log.assert_clean()
