"""No lost updates on the rule settings (API.md "Writes carry version"): two admins changing the rules from
the same version: the first save wins, the second is refused as stale (API 409 ``stale``) and changes
nothing; the settings page then names the other admin's change and keeps what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from salesops.accounts import services as account_services
from salesops.accounts.models import Role, User
from salesops.organisation import services
from salesops.organisation.models import RuleSettings
from salesops.testing.actors import Actors
from salesops.testing.factories import make_user
from salesops.testing.pages import form_of

ApiAs = Callable[[User | None], APIClient]
URL = "/api/settings/rules/"
PAGE = "/settings/rules/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(actors: Actors) -> User:
    return make_user(username="admin2", display_name="周管理", role=Role.ADMIN, team=None)


def test_a_second_change_from_the_same_version_is_409_stale_and_changes_nothing(
    actors: Actors, other_admin: User, api_as: ApiAs
) -> None:
    first, second = api_as(actors.admin), api_as(other_admin)
    read = first.get(URL).json()["version"]
    assert second.get(URL).json()["version"] == read
    saved = first.patch(URL, {"pool_claim_cap": 30, "version": read}, format="json")
    assert (saved.status_code, saved.json()["version"]) == (200, read + 1)

    stale = second.patch(URL, {"followup_log_hours": 4, "version": read}, format="json")
    assert stale.status_code == 409
    assert (stale.json()["error"]["code"], stale.json()["error"]["version"]) == ("stale", read + 1)
    stored = RuleSettings.objects.get(pk=1)
    assert (stored.pool_claim_cap, stored.followup_log_hours, stored.version) == (30, 2, read + 1)

    missing = second.patch(URL, {"followup_log_hours": 4}, format="json")
    assert (missing.status_code, list(missing.json()["error"]["fields"])) == (400, ["version"])
    again = second.patch(URL, {"followup_log_hours": 4, "version": read + 1}, format="json")
    assert again.status_code == 200
    stored.refresh_from_db()
    assert (stored.pool_claim_cap, stored.followup_log_hours) == (30, 4)  # both changes kept


def settings_form(page: str) -> dict[str, str]:
    return form_of(page, start='data-testid="rule-settings-form"')


def test_the_settings_page_shows_the_other_change_and_keeps_what_was_typed(actors: Actors) -> None:
    account_services.user_set_language(user=actors.admin, language="en")
    browser = Client()
    browser.force_login(actors.admin)
    typed = settings_form(browser.get(PAGE).content.decode())
    read = int(typed["version"])
    assert (typed["pool_claim_cap"], typed["workday_end"]) == ("20", "18:00")

    services.rule_settings_update(by=actors.admin, version=read, pool_claim_cap=30)  # in another tab

    typed["workday_end"] = "17:30"
    refused = browser.post(PAGE, typed)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Someone else saved this while you were editing it." in page
    assert "王管理 changed pool claims per rep per month from 20 to 30." in page
    rebased = settings_form(page)
    assert (rebased["version"], rebased["pool_claim_cap"], rebased["workday_end"]) == (str(read + 1), "30", "17:30")
    stored = RuleSettings.objects.get(pk=1)
    assert (stored.pool_claim_cap, stored.workday_end) == (30, dt.time(18, 0))

    assert browser.post(PAGE, rebased).status_code == 302
    stored.refresh_from_db()
    assert (stored.pool_claim_cap, stored.workday_end, stored.version) == (30, dt.time(17, 30), read + 2)
