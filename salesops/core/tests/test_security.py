"""Security defaults: a strict Content-Security-Policy, CSRF on the session API and the login form,
argon2 password hashing and hardened cookies under production settings.

Production settings are read in a subprocess (``DEBUG=0`` etc.), because the test process runs with the
test settings (fast hashing, DEBUG on).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from salesops.accounts.models import Team
from salesops.home.context_processors import NAVIGATION
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline script code, style attributes, on* handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems.extend(f"{name} handler on <{tag}>" for name in names if name.startswith("on"))
        kind = dict(attrs).get("type") or ""
        self._in_inline_script = tag == "script" and "src" not in names and kind != "application/json"
        if tag == "style":
            self.problems.append("<style> element")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_csp_directives_are_strict() -> None:
    directives = csp_directives(settings.CONTENT_SECURITY_POLICY)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    every_source = " ".join(" ".join(values) for values in directives.values())
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert loose not in every_source.split()


@pytest.mark.parametrize("path", ["/login/", "/health/", "/no-such-page/"])
def test_csp_header_on_anonymous_responses(client: Client, org: object, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# Every page of the menu (NAVIGATION grows with the features) plus the account pages.
SHELL_PAGES = sorted({name for name, _label, _perm in NAVIGATION} | {"account", "password-change"})


@pytest.mark.parametrize("url_name", SHELL_PAGES)
def test_pages_carry_the_csp_and_no_inline_code(client: Client, actors: Actors, url_name: str) -> None:
    client.force_login(actors.admin)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert inline_code(response.content.decode()) == []


def test_login_page_has_no_inline_code(client: Client, org: object) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_inline_code_finder_finds_what_csp_blocks() -> None:
    """The page check above must be able to fail."""
    html = (
        '<div style="color:red"><button onclick="x()">b</button></div><script>alert(1)</script>'
        '<script src="/static/a.js"></script><script type="application/json" id="d">{"a": 1}</script>'
    )
    assert inline_code(html) == ["style attribute on <div>", "onclick handler on <button>", "inline script: alert(1)"]


def test_session_api_refuses_a_post_without_the_csrf_token(actors: Actors) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.admin)
    count = Team.objects.count()
    response = client.post("/api/teams/", {"name": "跨站团队"}, content_type="application/json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "CSRF" in error["message"]
    assert Team.objects.count() == count

    # The same request with the token from the cookie goes through.
    client.get("/account/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/api/teams/", {"name": "跨站团队"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert Team.objects.count() == count + 1


def test_session_api_reads_need_no_token(actors: Actors) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.rep_a1)
    assert client.get("/api/me/").status_code == 200


def test_login_form_refuses_a_post_without_the_csrf_token(actors: Actors) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": actors.rep_a1.username, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/login/", {"username": actors.rep_a1.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == actors.rep_a1.pk


def test_session_cookie_is_http_only_and_same_site(actors: Actors) -> None:
    client = Client()
    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    credentials = {"username": actors.rep_a1.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/login/", credentials).status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


PRODUCTION_PROBE = """
import json
import django
from django.conf import settings
django.setup()
from django.contrib.auth.hashers import make_password
print(json.dumps({
    "hasher": settings.PASSWORD_HASHERS[0],
    "hash_prefix": make_password("Xiaoshou-2026!").split("$", 1)[0],
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "debug": settings.DEBUG,
}))
"""


def production_settings(tmp_path: Path, **extra: str) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SALESOPS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="salesops.settings",
        SALESOPS_TESTING="0",
        SALESOPS_DATA_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="sales.example.com",
        **extra,
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_production_hashes_passwords_with_argon2(tmp_path: Path) -> None:
    values = production_settings(tmp_path)
    assert values["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["hash_prefix"] == "argon2"
    assert values["debug"] is False


def test_production_cookies_and_transport_are_hardened(tmp_path: Path) -> None:
    values = production_settings(tmp_path)
    assert values["session_secure"] is True
    assert values["session_httponly"] is True
    assert values["session_samesite"] == "Lax"
    assert values["csrf_secure"] is True
    assert values["ssl_redirect"] is True
    assert isinstance(values["hsts"], int) and values["hsts"] >= 31536000

