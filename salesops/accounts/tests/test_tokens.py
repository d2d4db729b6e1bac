"""API tokens and sessions die with the credentials: a new password (changed by the person or reset by an
admin) and a deactivation end every API token and every other session of the person; a person
reactivated later gets none of the old ones back; a person lists and revokes their own tokens (API and
the account page), never anyone else's."""

from __future__ import annotations

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Xin-Mima-2026!"


def new_token(user: User, password: str = TEST_PASSWORD) -> str:
    response = APIClient().post("/api/auth/token/", {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get("/api/me/").status_code
    assert status in (200, 401)
    return status == 200


def session_of(user: User, password: str = TEST_PASSWORD) -> Client:
    """A browser logged in through the login page (a real session, with its hash of the credentials)."""
    browser = Client()
    response = browser.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def logged_in(browser: Client) -> bool:
    status = browser.get("/account/").status_code
    assert status in (200, 302)
    return status == 200


def test_each_login_gets_its_own_token_listed_and_revoked_on_its_own(actors: Actors) -> None:
    phone, script = new_token(actors.rep_a1), new_token(actors.rep_a1)
    assert phone != script and works(phone) and works(script)
    assert not AuthToken.objects.filter(digest__in=[phone, script]).exists()  # stored as digests only
    listed = with_token(phone).get("/api/me/tokens/").json()
    assert sorted((row["key"], row["current"]) for row in listed) == sorted([(phone[:15], True), (script[:15], False)])
    assert with_token(phone).delete(f"/api/me/tokens/{script[:15]}/").status_code == 204
    assert works(phone) and not works(script)
    assert [row["key"] for row in with_token(phone).get("/api/me/tokens/").json()] == [phone[:15]]


def test_nobody_revokes_or_lists_someone_elses_token(actors: Actors) -> None:
    theirs, mine = new_token(actors.rep_b1), new_token(actors.admin)
    response = with_token(mine).delete(f"/api/me/tokens/{theirs[:15]}/")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    assert works(theirs)
    assert [row["key"] for row in with_token(mine).get("/api/me/tokens/").json()] == [mine[:15]]


def test_changing_ones_password_ends_every_token_and_the_other_sessions(actors: Actors) -> None:
    token, other_device = new_token(actors.rep_a1), session_of(actors.rep_a1)
    browser = session_of(actors.rep_a1)
    response = browser.post("/account/password/", {
        "old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert not works(token)
    assert not AuthToken.objects.filter(user=actors.rep_a1).exists()
    assert not logged_in(other_device)
    assert logged_in(browser)  # the session that changed it goes on
    assert works(new_token(actors.rep_a1, NEW_PASSWORD))


def test_an_admin_resetting_the_password_ends_the_persons_tokens_and_sessions(actors: Actors) -> None:
    token, device = new_token(actors.rep_b1), session_of(actors.rep_b1)
    admin = session_of(actors.admin)
    response = admin.post(f"/admin/accounts/user/{actors.rep_b1.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=actors.rep_b1.pk).check_password(NEW_PASSWORD)
    assert not works(token)
    assert not logged_in(device)
    assert logged_in(admin)


def test_deactivation_ends_tokens_and_sessions_and_reactivation_brings_none_back(actors: Actors) -> None:
    token, device = new_token(actors.rep_c1), session_of(actors.rep_c1)
    admin = with_token(new_token(actors.admin))
    assert admin.post(f"/api/users/{actors.rep_c1.pk}/deactivate/", {"move_to": "pool"}, format="json"
                      ).status_code == 200
    assert not works(token)
    assert not logged_in(device)
    assert admin.post(f"/api/users/{actors.rep_c1.pk}/reactivate/").status_code == 200
    assert not works(token)
    assert not logged_in(device)
    assert not AuthToken.objects.filter(user=actors.rep_c1).exists()
    assert works(new_token(actors.rep_c1)) and logged_in(session_of(actors.rep_c1))


def test_the_account_page_lists_ones_tokens_and_revokes_them(actors: Actors) -> None:
    mine, theirs = new_token(actors.lead_a), new_token(actors.rep_a1)
    browser = session_of(actors.lead_a)
    page = browser.get("/account/").content.decode()
    assert f'data-testid="token-{mine[:15]}"' in page and theirs[:15] not in page
    assert browser.post(f"/account/tokens/{theirs[:15]}/revoke/").status_code == 404
    assert works(theirs)
    response = browser.post(f"/account/tokens/{mine[:15]}/revoke/", follow=True)
    assert response.status_code == 200
    assert not works(mine)
    assert f'data-testid="token-{mine[:15]}"' not in response.content.decode()
