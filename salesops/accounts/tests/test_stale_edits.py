"""No lost updates on people and teams (API.md "Writes carry version", R1): two admins editing one person or
one team from the same version: the first save wins, the second is refused as stale (API 409 ``stale``)
and changes nothing; the management page then names the other admin's change and keeps what was typed.
Logging in, a rehashed or new password and ended sessions write the person's row too, but are no edit of
the person: they never make an open edit stale."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from salesops.accounts import services
from salesops.accounts.models import Role, User
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD, make_user
from salesops.testing.pages import form_of

ApiAs = Callable[[User | None], APIClient]
pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(actors: Actors) -> User:
    return make_user(username="admin2", display_name="周管理", role=Role.ADMIN, team=None)


def browser_of(user: User) -> Client:
    services.user_set_language(user=user, language="en")
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_second_person_edit_from_the_same_version_is_409_stale_and_changes_nothing(
    actors: Actors, other_admin: User, api_as: ApiAs
) -> None:
    path = f"/api/users/{actors.rep_a1.pk}/"
    first, second = api_as(actors.admin), api_as(other_admin)
    read = first.get(path).json()["version"]
    assert second.get(path).json()["version"] == read
    moved = first.patch(path, {"phone": "13912345678", "version": read}, format="json")
    assert (moved.status_code, moved.json()["version"]) == (200, read + 1)

    stale = second.patch(path, {"display_name": "张伟伟", "phone": "", "version": read}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["version"]) == ("stale", read + 1)
    person = User.objects.get(pk=actors.rep_a1.pk)
    assert (person.display_name, person.phone, person.version) == ("张伟", "13912345678", read + 1)

    again = second.patch(path, {"display_name": "张伟伟", "version": read + 1}, format="json")
    assert (again.status_code, again.json()["version"]) == (200, read + 2)
    person.refresh_from_db()
    assert (person.display_name, person.phone) == ("张伟伟", "13912345678")  # both changes kept


def test_the_set_up_flow_edits_a_team_and_a_person_without_a_version(actors: Actors, api_as: ApiAs) -> None:
    """API.md's set-up flow (``PATCH /api/teams/{id}/ {lead, director}``) sends no version: a script that
    follows it still works; only a version sent is checked (the tests above)."""
    api = api_as(actors.admin)
    person = api.patch(f"/api/users/{actors.rep_a1.pk}/", {"display_name": "张伟伟"}, format="json")
    team = api.patch(f"/api/teams/{actors.team_a.pk}/", {"name": "华东精英组"}, format="json")
    assert (person.status_code, team.status_code) == (200, 200)
    assert User.objects.get(pk=actors.rep_a1.pk).display_name == "张伟伟"
    actors.team_a.refresh_from_db()
    assert actors.team_a.name == "华东精英组"


def test_logging_in_and_a_new_password_do_not_make_an_open_edit_stale(
    actors: Actors, api_as: ApiAs, client: Client
) -> None:
    path = f"/api/users/{actors.rep_a1.pk}/"
    api = api_as(actors.admin)
    read = api.get(path).json()["version"]
    assert client.post("/login/", {"username": "rep_a1", "password": TEST_PASSWORD}).status_code == 302
    token = APIClient().post("/api/auth/token/", {"username": "rep_a1", "password": TEST_PASSWORD}, format="json")
    assert token.status_code == 200
    changed = client.post("/account/password/", {
        "old_password": TEST_PASSWORD, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026",
    })
    assert changed.status_code == 302
    person = User.objects.get(pk=actors.rep_a1.pk)
    assert person.last_login is not None and person.check_password("Xin-Mima-2026")
    assert person.version == read

    saved = api.patch(path, {"display_name": "张伟伟", "version": read}, format="json")
    assert (saved.status_code, saved.json()["version"]) == (200, read + 1)


def test_the_version_is_in_the_answers_and_the_schema(actors: Actors, api_as: ApiAs) -> None:
    api = api_as(actors.admin)
    people = api.get("/api/users/").json()["results"]
    teams = api.get("/api/teams/").json()["results"]
    assert all(row["version"] >= 1 for row in [*people, *teams])
    created = api.post("/api/teams/", {"name": "西南组"}, format="json").json()
    assert created["version"] == 1
    schemas = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    for name in ("User", "Team", "UserUpdate", "PatchedUserUpdateRequest", "PatchedTeamUpdateRequest"):
        assert "version" in schemas[name]["properties"], name
    assert schemas["PatchedUserUpdateRequest"]["properties"]["version"]["minimum"] == 1


def test_a_stale_team_edit_is_409_and_a_leavers_teams_move_on(
    actors: Actors, other_admin: User, api_as: ApiAs
) -> None:
    path = f"/api/teams/{actors.team_c.pk}/"
    read = api_as(actors.admin).get(path).json()["version"]
    renamed = api_as(actors.admin).patch(path, {"name": "华南精英组", "version": read}, format="json")
    assert renamed.status_code == 200
    stale = api_as(other_admin).patch(path, {"director": actors.director.pk, "version": read}, format="json")
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale")
    actors.team_c.refresh_from_db()
    assert (actors.team_c.name, actors.team_c.director_id, actors.team_c.version) == ("华南精英组", None, read + 1)

    # a team whose lead leaves changes: an edit opened before still names the leaver
    services.user_deactivate(user=actors.lead_c, by=actors.admin)
    actors.team_c.refresh_from_db()
    assert (actors.team_c.lead_id, actors.team_c.version) == (None, read + 2)


def test_the_person_page_shows_the_other_change_and_keeps_what_was_typed(actors: Actors, other_admin: User) -> None:
    """Two admins open the person's page; one changes the phone; the other saves the name: the page refuses,
    names the first admin's change, keeps the typed name and takes the new phone, so the next save keeps
    both."""
    first, second = browser_of(actors.admin), browser_of(other_admin)
    edit = f"/admin/accounts/user/{actors.rep_a1.pk}/change/"
    typed = form_of(second.get(edit).content.decode())
    opened = form_of(first.get(edit).content.decode())
    read = int(typed["version"])
    assert (typed["display_name"], typed["role"], typed["team"]) == ("张伟", "rep", str(actors.team_a.pk))
    assert first.post(edit, {**opened, "phone": "13912345678"}).status_code == 302

    typed["display_name"] = "张伟伟"
    refused = second.post(edit, typed)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this while you were editing it." in page
    assert "王管理 changed mobile phone from — to 13912345678." in page
    assert "You changed these too" not in page
    rebased = form_of(page)
    assert (rebased["version"], rebased["phone"], rebased["display_name"]) == (str(read + 1), "13912345678", "张伟伟")
    person = User.objects.get(pk=actors.rep_a1.pk)
    assert (person.display_name, person.phone, person.version) == ("张伟", "13912345678", read + 1)

    assert second.post(edit, rebased).status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.phone, person.version) == ("张伟伟", "13912345678", read + 2)


def test_a_person_logging_in_leaves_their_open_page_current(actors: Actors, client: Client) -> None:
    admin = browser_of(actors.admin)
    edit = f"/admin/accounts/user/{actors.rep_a1.pk}/change/"
    typed = form_of(admin.get(edit).content.decode())
    assert client.post("/login/", {"username": "rep_a1", "password": TEST_PASSWORD}).status_code == 302
    assert admin.post(edit, {**typed, "display_name": "张伟伟"}).status_code == 302
    assert User.objects.get(pk=actors.rep_a1.pk).display_name == "张伟伟"


def test_the_team_page_names_the_other_change_and_a_field_both_changed(actors: Actors, other_admin: User) -> None:
    first, second = browser_of(actors.admin), browser_of(other_admin)
    edit = f"/admin/accounts/team/{actors.team_c.pk}/change/"
    typed, opened = form_of(second.get(edit).content.decode()), form_of(first.get(edit).content.decode())
    assert first.post(edit, {**opened, "name": "华南精英组", "director": actors.director.pk}).status_code == 302

    refused = second.post(edit, {**typed, "name": "华南二组"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "王管理 changed director from — to 赵总监." in page
    assert "You changed these too; the form keeps what you typed: Name." in page
    rebased = form_of(page)
    assert (rebased["name"], rebased["director"]) == ("华南二组", str(actors.director.pk))
    actors.team_c.refresh_from_db()
    assert (actors.team_c.name, actors.team_c.director_id) == ("华南精英组", actors.director.pk)
    assert second.post(edit, rebased).status_code == 302
    actors.team_c.refresh_from_db()
    assert (actors.team_c.name, actors.team_c.director_id) == ("华南二组", actors.director.pk)


def test_the_person_page_never_shows_the_stored_password(actors: Actors) -> None:
    """The management page of a person has no password box: a model form would put the stored hash in one."""
    page = browser_of(actors.admin).get(f"/admin/accounts/user/{actors.rep_a1.pk}/change/").content.decode()
    assert 'name="password"' not in page
    assert User.objects.get(pk=actors.rep_a1.pk).password not in page
