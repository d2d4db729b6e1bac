"""Every API error has one shape (API.md "Errors"): ``{"error": {"code", "message", "fields"}}``.

Statuses: 400 bad input with field messages, 401 no or bad credentials, 403 a role that may not act,
404 unknown paths and anything outside the caller's data scope (R1), 405 a method the resource does not
offer, 429 a login locked after repeated failures, and 500 for an unexpected error, in the same shape.
Messages speak zh-Hans by default and the user's stored language otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from knox.models import AuthToken
from rest_framework.test import APIClient

from salesops.accounts import api as accounts_api
from salesops.accounts.models import Team, User
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
LOCKED_MESSAGE = "Too many failed logins: this account is locked for a while. Ask an admin to unlock it."
ApiAs = Callable[[User | None], APIClient]


def in_language(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def chinese(msgid: str) -> str:
    """The zh-Hans text of a msgid, insisting that it really is Chinese."""
    text = in_language("zh-hans", msgid)
    assert CJK.search(text), f"no zh-Hans translation for {msgid!r}"
    return text


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    """The error object of a response, after checking the status, the shape and the code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    assert error["code"] == code
    return error


def token_client(user: User) -> APIClient:
    """A client that authenticates like an integration does (token header), so language rules apply."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


@pytest.fixture
def english_admin(actors: Actors) -> User:
    admin = actors.admin
    admin.language = "en"
    admin.save(update_fields=["language"])
    return admin


def test_400_field_errors_in_chinese_by_default(actors: Actors, api_as: ApiAs) -> None:
    before = list(Team.objects.values_list("name", flat=True))
    response = token_client(actors.admin).post("/api/teams/", {"name": ""}, format="json")
    error = error_of(response, 400, "invalid")
    assert error["fields"] == {"name": [chinese("This field may not be blank.")]}
    assert error["message"] == in_language("zh-hans", "Some fields are not valid.")
    assert list(Team.objects.values_list("name", flat=True)) == before


def test_400_field_errors_in_english_for_an_english_user(english_admin: User) -> None:
    count = Team.objects.count()
    response = token_client(english_admin).post("/api/teams/", {"name": ""}, format="json")
    error = error_of(response, 400, "invalid")
    assert error["fields"] == {"name": ["This field may not be blank."]}
    assert error["message"] == "Some fields are not valid."
    assert Team.objects.count() == count


def test_400_from_a_service_rule_names_the_field(actors: Actors) -> None:
    """A rule checked in the service (Django ValidationError), not the serializer, is a field error too."""
    client = token_client(actors.admin)
    assert client.post("/api/teams/", {"name": "Alpha"}, format="json").status_code == 201
    response = client.post("/api/teams/", {"name": "ALPHA"}, format="json")
    error = error_of(response, 400, "invalid")
    expected = in_language("zh-hans", "A team named %(name)s exists already.") % {"name": "ALPHA"}
    assert error["fields"] == {"name": [expected]}
    assert list(Team.objects.filter(name__iexact="alpha").values_list("name", flat=True)) == ["Alpha"]


def test_401_without_credentials(api_as: ApiAs, db: None) -> None:
    error = error_of(api_as(None).get("/api/me/"), 401, "not_authenticated")
    assert error["message"] == chinese("Authentication credentials were not provided.")
    assert error["fields"] == {}


def test_401_with_a_bad_token(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    error = error_of(client.get("/api/me/"), 401, "authentication_failed")
    assert error["message"] == chinese("Invalid token.")


def test_403_for_a_role_that_may_not_act(actors: Actors) -> None:
    count = Team.objects.count()
    response = token_client(actors.rep_a1).post("/api/teams/", {"name": "新团队"}, format="json")
    error = error_of(response, 403, "permission_denied")
    assert error["message"] == chinese("You do not have permission to perform this action.")
    assert Team.objects.count() == count


def test_403_in_english_for_an_english_user(actors: Actors) -> None:
    rep = actors.rep_a1
    rep.language = "en"
    rep.save(update_fields=["language"])
    response = token_client(rep).post("/api/teams/", {"name": "New team"}, format="json")
    error = error_of(response, 403, "permission_denied")
    assert error["message"] == "You do not have permission to perform this action."


def test_404_for_an_unknown_path(actors: Actors) -> None:
    error = error_of(token_client(actors.admin).get("/api/nope/"), 404, "not_found")
    assert error["message"] == chinese("Not found.")


def test_404_for_an_object_outside_the_scope(actors: Actors) -> None:
    """R1: rep_a1 may not learn that rep_c1 exists; the answer equals the one for a missing id."""
    client = token_client(actors.rep_a1)
    outside = error_of(client.get(f"/api/users/{actors.rep_c1.pk}/"), 404, "not_found")
    missing_id = User.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    missing = error_of(client.get(f"/api/users/{missing_id}/"), 404, "not_found")
    assert outside == missing
    assert outside["message"] == chinese("Not found.")
    assert client.get(f"/api/users/{actors.rep_a2.pk}/").status_code == 200


def test_405_for_a_method_the_resource_does_not_offer(actors: Actors) -> None:
    target = actors.rep_a1
    error = error_of(token_client(actors.admin).delete(f"/api/users/{target.pk}/"), 405, "method_not_allowed")
    assert error["message"] == chinese('Method "{method}" not allowed.').format(method="DELETE")
    assert User.objects.filter(pk=target.pk, is_active=True).exists()


def test_405_in_english_for_an_english_user(english_admin: User, actors: Actors) -> None:
    response = token_client(english_admin).delete(f"/api/users/{actors.rep_a1.pk}/")
    assert error_of(response, 405, "method_not_allowed")["message"] == 'Method "DELETE" not allowed.'


def test_unexpected_exception_is_a_500_in_the_same_shape(
    actors: Actors, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(self: object, request: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(accounts_api.MeViewSet, "retrieve", explode)
    with caplog.at_level("ERROR", logger="salesops.core.api"):
        response = token_client(actors.rep_a1).get("/api/me/")
    error = error_of(response, 500, "server_error")
    assert error["message"] == in_language("zh-hans", "Something went wrong on our side; the error has been logged.")
    assert "database on fire" not in response.content.decode()
    assert any(record.exc_info and "database on fire" in str(record.exc_info[1]) for record in caplog.records)


def test_500_message_in_english_for_an_english_user(english_admin: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self: object, request: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api.MeViewSet, "retrieve", explode)
    error = error_of(token_client(english_admin).get("/api/me/"), 500, "server_error")
    assert error["message"] == "Something went wrong on our side; the error has been logged."


def test_token_for_good_credentials_works(actors: Actors) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": actors.lead_b.username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert [t.user for t in AuthToken.objects.filter(token_key=token[:15])] == [actors.lead_b]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["username"] == actors.lead_b.username
    assert me.json()["role"] == "lead"


def test_token_for_a_wrong_password_is_a_401(actors: Actors) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": actors.lead_b.username, "password": "not-the-password"}, format="json"
    )
    error = error_of(response, 401, "authentication_failed")
    assert error["message"] == in_language("zh-hans", "The login name or password is wrong.")
    assert not AuthToken.objects.filter(user=actors.lead_b).exists()


def test_token_without_fields_is_a_400_naming_them(db: None) -> None:
    error = error_of(APIClient().post("/api/auth/token/", {}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}


@override_settings(AXES_FAILURE_LIMIT=5)
def test_token_locked_out_after_five_failures(actors: Actors) -> None:
    """The fifth wrong password locks the login (like the login page); then even the right one is refused."""
    client = APIClient()
    locked = in_language("zh-hans", LOCKED_MESSAGE)
    wrong = {"username": actors.rep_b1.username, "password": "not-the-password"}
    for _attempt in range(4):
        error_of(client.post("/api/auth/token/", wrong, format="json"), 401, "authentication_failed")
    error = error_of(client.post("/api/auth/token/", wrong, format="json"), 429, "locked_out")
    assert error["message"] == locked
    right = {"username": actors.rep_b1.username, "password": TEST_PASSWORD}
    error = error_of(client.post("/api/auth/token/", right, format="json"), 429, "locked_out")
    assert error["message"] == locked
    assert not AuthToken.objects.filter(user=actors.rep_b1).exists()
    # Another person is not affected.
    other = {"username": actors.rep_a1.username, "password": TEST_PASSWORD}
    assert client.post("/api/auth/token/", other, format="json").status_code == 200
