"""The error pages people meet (404, 403, 400, 500 and a refused form): friendly, in the person's language
(zh-Hans unless they chose English), never Django's technical page and never a list of the site's
addresses. The API answers the same errors with its JSON error body (API.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from salesops.accounts.models import User
from salesops.home import views as home_views
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD

TECHNICAL_MARKS = (
    "Using the URLconf", "Django tried these URL patterns", "Traceback", "DEBUG = True", "Request Method:",
    "CSRF verification failed", "Request aborted", "technical_500", "Server Error (500)", "Bad Request (400)",
)
# Addresses a stranger must not learn from an error page: the URL patterns of the site beyond the way back.
SITE_PATHS = ("api/", "admin/", "customers/", "team/overdue", "settings/", "pool/", "health/")
HREF = re.compile(r'href="([^"]*)"')


def say(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def assert_friendly(response: object, status: int, language: str, heading: str, *, menu: bool) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert f'<html lang="{language}">' in html
    assert f"<h1>{say(language, heading)}</h1>" in html
    assert not any(mark in html for mark in TECHNICAL_MARKS)
    links = [href for href in HREF.findall(html) if not href.startswith("/static/")]
    if menu:
        assert "/" in links  # the way back; the menu is the person's own
    else:
        # A stranger sees the way back and nothing else: no address of the site, no pattern, no path.
        assert links == ["/"], links
        assert not any(path in html for path in SITE_PATHS)


@pytest.fixture
def english_rep(actors: Actors) -> User:
    actors.rep_a1.language = "en"
    actors.rep_a1.save(update_fields=["language"])
    return actors.rep_a1


@pytest.fixture
def as_user(actors: Actors) -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        return client

    return make


def test_404_for_a_stranger_is_chinese_and_says_nothing_of_the_site(as_user: Callable[..., Client]) -> None:
    response = as_user(None).get("/customers/999999/no-such-page/")
    assert_friendly(response, 404, "zh-hans", "Page not found", menu=False)
    assert "/customers/999999/no-such-page/" not in response.content.decode()


def test_404_speaks_the_language_the_person_chose(as_user: Callable[..., Client], english_rep: User) -> None:
    response = as_user(english_rep).get("/customers/999999/")
    assert_friendly(response, 404, "en", "Page not found", menu=True)
    assert "Page not found" in response.content.decode()
    chinese_rep = as_user(User.objects.get(username="rep_a2")).get("/customers/999999/")
    assert_friendly(chinese_rep, 404, "zh-hans", "Page not found", menu=True)
    assert "页面不存在" in chinese_rep.content.decode()


@pytest.mark.parametrize(("username", "language"), [("rep_a2", "zh-hans"), ("rep_a1", "en")])
def test_403_is_the_friendly_page(
    as_user: Callable[..., Client], english_rep: User, username: str, language: str
) -> None:
    response = as_user(User.objects.get(username=username)).get("/team/overdue/")
    assert_friendly(response, 403, language, "Not allowed", menu=True)


@pytest.mark.parametrize(("username", "language"), [("rep_a2", "zh-hans"), ("rep_a1", "en")])
def test_500_is_the_friendly_page_rendered_without_the_database(
    as_user: Callable[..., Client], english_rep: User, monkeypatch: pytest.MonkeyPatch, username: str, language: str
) -> None:
    """Rendered without the request's context: no menu (its queries may be what failed), the way back only."""
    def broken() -> None:
        raise RuntimeError("the calendar is broken")

    monkeypatch.setattr(home_views, "work_calendar", broken)
    response = as_user(User.objects.get(username=username)).get("/")
    assert_friendly(response, 500, language, "Something went wrong", menu=False)
    assert "the calendar is broken" not in response.content.decode()


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_400_for_a_host_the_site_does_not_serve(as_user: Callable[..., Client]) -> None:
    response = as_user(None).get("/login/", headers={"host": "intruder.example.com"})
    assert_friendly(response, 400, "zh-hans", "The request could not be handled", menu=False)


def test_a_form_sent_without_its_csrf_token_gets_the_expired_form_page(actors: Actors, english_rep: User) -> None:
    stranger = Client(enforce_csrf_checks=True)
    response = stranger.post("/login/", {"username": actors.rep_a2.username, "password": TEST_PASSWORD})
    assert_friendly(response, 403, "zh-hans", "The form has expired", menu=False)
    assert "_auth_user_id" not in stranger.session

    person = Client(enforce_csrf_checks=True)
    person.force_login(english_rep)
    response = person.post("/account/language/", {"language": "zh-hans"})
    assert_friendly(response, 403, "en", "The form has expired", menu=True)
    assert "reload the page" in response.content.decode()
    assert User.objects.get(pk=english_rep.pk).language == "en"


def test_the_api_keeps_its_json_error_body(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.rep_a1)
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@override_settings(DEBUG=True)
def test_the_technical_page_would_be_caught(as_user: Callable[..., Client]) -> None:
    """The checks above can fail: with DEBUG on, Django's technical 404 lists the URL patterns."""
    html = as_user(None).get("/no-such-page/").content.decode()
    assert any(mark in html for mark in TECHNICAL_MARKS)
    assert any(path in html for path in SITE_PATHS)


def test_the_handlers_are_the_core_views() -> None:
    from salesops import urls

    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "salesops.core.views.bad_request", "salesops.core.views.forbidden",
        "salesops.core.views.not_found", "salesops.core.views.server_error",
    )
    assert settings.CSRF_FAILURE_VIEW == "salesops.core.views.csrf_failure"
