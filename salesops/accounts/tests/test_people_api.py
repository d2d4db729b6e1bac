"""People and teams through the API (API.md "Command line" set-up flow, R1 roles)."""

from __future__ import annotations

import pytest

from salesops.accounts.models import Role, Team, User

pytestmark = pytest.mark.django_db


def test_admin_builds_an_organisation_through_the_api(actors, api_as):
    """POST /api/teams/ → POST /api/users/ → PATCH /api/teams/{id}/ {lead, director} with the version read,
    as API.md describes."""
    api = api_as(actors.admin)
    team = api.post("/api/teams/", {"name": "西南组"}, format="json")
    assert team.status_code == 201, team.json()
    team_id = team.json()["id"]
    lead = api.post("/api/users/", {
        "username": "zhou.lead", "password": "Kehu-Genjin-88", "display_name": "周组长", "role": "lead",
        "team": team_id, "phone": "+86 138-1234-5678",
    }, format="json")
    assert lead.status_code == 201, lead.json()
    assert lead.json()["phone"] == "13812345678"
    assert "password" not in lead.json()
    rep = api.post("/api/users/", {
        "username": "wu.rep", "password": "Kehu-Genjin-88", "display_name": "吴销售", "role": "rep", "team": team_id,
    }, format="json")
    assert rep.status_code == 201
    assert team.json()["version"] == 1
    patched = api.patch(f"/api/teams/{team_id}/", {"lead": lead.json()["id"], "director": actors.director.pk,
                                                   "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["lead"] == lead.json()["id"]
    assert patched.json()["member_count"] == 2
    # the new lead now sees exactly their team
    lead_user = User.objects.get(username="zhou.lead")
    listed = {row["username"] for row in api_as(lead_user).get("/api/users/").json()["results"]}
    assert listed == {"zhou.lead", "wu.rep"}
    # and the director's scope grew by the new team
    director_teams = {row["id"] for row in api_as(actors.director).get("/api/teams/").json()["results"]}
    assert team_id in director_teams


def test_created_user_can_get_a_token(actors, api_as):
    api_as(actors.admin).post("/api/users/", {
        "username": "sun.rep", "password": "Kehu-Genjin-88", "display_name": "孙销售", "role": "rep",
        "team": actors.team_a.pk,
    }, format="json")
    response = api_as(None).post("/api/auth/token/", {"username": "sun.rep", "password": "Kehu-Genjin-88"},
                                 format="json")
    assert response.status_code == 200
    me = api_as(None)
    me.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    body = me.get("/api/me/").json()
    assert body["username"] == "sun.rep"
    assert body["role"] == "rep"
    assert body["team"] == actors.team_a.pk
    assert body["teams"] == [{"id": actors.team_a.pk, "name": actors.team_a.name}]


@pytest.mark.parametrize("actor", ["rep_a1", "lead_a", "director"])
def test_only_admins_manage_people_and_teams(actors, api_as, actor):
    api = api_as(getattr(actors, actor))
    before = (User.objects.count(), Team.objects.count())
    assert api.post("/api/teams/", {"name": "新组"}, format="json").status_code == 403
    assert api.post("/api/users/", {"username": "x1", "password": "Kehu-Genjin-88", "display_name": "某",
                                    "role": "rep", "team": actors.team_a.pk}, format="json").status_code == 403
    # team_a and rep_a1 are in each of these actors' scope: the role, not the scope, refuses (403)
    assert api.patch(f"/api/teams/{actors.team_a.pk}/", {"name": "改名"}, format="json").status_code == 403
    assert api.post(f"/api/users/{actors.rep_a1.pk}/deactivate/").status_code == 403
    assert (User.objects.count(), Team.objects.count()) == before
    actors.team_a.refresh_from_db()
    assert actors.team_a.name == "华东一组"


@pytest.mark.parametrize(("payload", "field"), [
    ({"username": "a b", "role": "rep"}, "username"),
    ({"username": "rep_a1", "role": "rep"}, "username"),  # taken
    ({"username": "REP_A1", "role": "rep"}, "username"),  # taken, case-insensitively
    ({"username": "new1", "role": "rep", "phone": "abcdefghijk"}, "phone"),
    ({"username": "new1", "role": "rep", "password": "12345678"}, "password"),
    ({"username": "new1", "role": "rep", "team": None}, "team"),
    ({"username": "new1", "role": "director"}, "team"),
    ({"username": "new1", "role": "boss"}, "role"),
    ({"username": "new1", "role": "rep", "display_name": "  "}, "display_name"),
])
def test_bad_person_is_refused_with_a_field_error_and_nothing_changes(actors, api_as, payload, field):
    data = {"password": "Kehu-Genjin-88", "display_name": "新人", "team": actors.team_a.pk, **payload}
    before = User.objects.count()
    response = api_as(actors.admin).post("/api/users/", data, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert User.objects.count() == before


def test_field_errors_speak_the_users_language(actors, api_as):
    response = api_as(actors.admin).post("/api/users/", {
        "username": "new1", "password": "Kehu-Genjin-88", "display_name": "新人", "role": "rep",
        "team": actors.team_a.pk, "phone": "12",
    }, format="json")
    assert "手机" in response.json()["error"]["fields"]["phone"][0]
    actors.admin.language = "en"
    actors.admin.save()
    response = api_as(actors.admin).post("/api/users/", {
        "username": "new1", "password": "Kehu-Genjin-88", "display_name": "新人", "role": "rep",
        "team": actors.team_a.pk, "phone": "12",
    }, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "mobile" in response.json()["error"]["fields"]["phone"][0]


def test_a_lead_cannot_lead_two_teams(actors, api_as):
    response = api_as(actors.admin).patch(f"/api/teams/{actors.team_b.pk}/",
                                          {"lead": actors.lead_a.pk, "version": actors.team_b.version}, format="json")
    assert response.status_code == 400
    assert "lead" in response.json()["error"]["fields"]
    actors.team_b.refresh_from_db()
    assert actors.team_b.lead == actors.lead_b


def test_a_rep_cannot_be_made_a_director_of_a_team(actors, api_as):
    response = api_as(actors.admin).patch(f"/api/teams/{actors.team_c.pk}/",
                                          {"director": actors.rep_a1.pk, "version": actors.team_c.version},
                                          format="json")
    assert response.status_code == 400
    actors.team_c.refresh_from_db()
    assert actors.team_c.director is None


def test_deactivate_keeps_the_person_and_clears_their_lead_role(actors, api_as):
    api = api_as(actors.admin)
    response = api.post(f"/api/users/{actors.lead_b.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    actors.team_b.refresh_from_db()
    assert actors.team_b.lead is None
    assert User.objects.filter(pk=actors.lead_b.pk).exists()  # never hard-deleted
    assert api.delete(f"/api/users/{actors.lead_b.pk}/").status_code == 405
    assert api.post(f"/api/users/{actors.lead_b.pk}/reactivate/").json()["is_active"] is True


def test_admin_cannot_deactivate_themself(actors, api_as):
    response = api_as(actors.admin).post(f"/api/users/{actors.admin.pk}/deactivate/")
    assert response.status_code == 400
    actors.admin.refresh_from_db()
    assert actors.admin.is_active


def test_team_with_active_members_cannot_close(actors, api_as):
    api = api_as(actors.admin)
    assert api.post(f"/api/teams/{actors.team_c.pk}/close/").status_code == 400
    for person in (actors.rep_c1, actors.lead_c):
        api.post(f"/api/users/{person.pk}/deactivate/")
    closed = api.post(f"/api/teams/{actors.team_c.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["is_active"] is False


def test_user_list_filters(actors, api_as):
    api = api_as(actors.admin)
    leads = {row["username"] for row in api.get("/api/users/", {"role": "lead"}).json()["results"]}
    assert leads == {"lead_a", "lead_b", "lead_c"}
    team_b = {row["username"] for row in api.get("/api/users/", {"team": actors.team_b.pk}).json()["results"]}
    assert team_b == {"lead_b", "rep_b1"}
    found = {row["username"] for row in api.get("/api/users/", {"q": "张伟"}).json()["results"]}
    assert found == {"rep_a1"}


def test_me_can_change_own_language_but_not_own_role(actors, api_as):
    api = api_as(actors.rep_a1)
    response = api.patch("/api/me/", {"language": "en", "role": "admin"}, format="json")
    assert response.status_code == 200
    actors.rep_a1.refresh_from_db()
    assert actors.rep_a1.language == "en"
    assert actors.rep_a1.role == Role.REP


def test_history_keeps_who_changed_a_team(actors, api_as):
    response = api_as(actors.admin).patch(f"/api/teams/{actors.team_a.pk}/",
                                          {"name": "华东精英组", "version": actors.team_a.version}, format="json")
    assert response.status_code == 200
    latest = actors.team_a.history.first()
    assert latest.name == "华东精英组"
    assert actors.team_a.history.filter(name="华东一组").exists()


@pytest.mark.parametrize(("endpoint", "params", "field"), [
    ("/api/teams/", {"director": "99999999999999999999"}, "director"),
    ("/api/teams/", {"director": "1.5"}, "director"),
    ("/api/users/", {"team": "99999999999999999999"}, "team"),
    ("/api/users/", {"team": "-3"}, "team"),
    ("/api/users/", {"role": "boss"}, "role"),
])
def test_bad_filters_are_field_errors_not_server_errors(actors, api_as, endpoint, params, field):
    response = api_as(actors.admin).get(endpoint, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("pk", ["99999999999999999999", "-1", "abc"])
def test_odd_ids_are_not_found(actors, api_as, pk):
    assert api_as(actors.admin).get(f"/api/users/{pk}/").status_code == 404


@pytest.mark.parametrize(("payload", "field"), [
    ({"password": "Xin-Mima-2026"}, "password"),
    ({"display_name": "新名字", "password": "Xin-Mima-2026"}, "password"),
    ({"is_superuser": True}, "is_superuser"),
    ({"nickname": "小张"}, "nickname"),
])
def test_a_person_update_with_a_field_it_cannot_change_is_refused(actors, api_as, payload, field):
    """A password (or any field the update does not take) is a 400 naming it, and nothing changes."""
    before = User.objects.get(pk=actors.rep_a1.pk)
    response = api_as(actors.admin).patch(f"/api/users/{actors.rep_a1.pk}/", payload, format="json",
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", [field])
    after = User.objects.get(pk=actors.rep_a1.pk)
    assert (after.password, after.display_name, after.is_superuser) == (
        before.password, before.display_name, before.is_superuser)
    assert after.check_password("Xin-Mima-2026") is False


def test_a_person_update_may_send_back_what_it_read(actors, api_as):
    api = api_as(actors.admin)
    shown = api.get(f"/api/users/{actors.rep_a1.pk}/").json()
    response = api.put(f"/api/users/{actors.rep_a1.pk}/", {**shown, "display_name": "张伟伟"}, format="json")
    assert response.status_code == 200, response.json()
    assert User.objects.get(pk=actors.rep_a1.pk).display_name == "张伟伟"

