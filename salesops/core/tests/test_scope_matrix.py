"""R1 scope matrix: every endpoint that lists or shows rows, for every named actor.

Expected visibility is written out from R1 (not computed with ``visible_to``): a rep sees their own
team's people, a lead their team, the director the teams they direct (team_a, team_b), the admin all.
Every new endpoint joins this matrix: add it to LIST_ENDPOINTS / DETAIL_ENDPOINTS.
"""

from __future__ import annotations

import pytest

from salesops.testing.actors import Actors

pytestmark = pytest.mark.django_db

TEAM_A = {"lead_a", "rep_a1", "rep_a2"}
TEAM_B = {"lead_b", "rep_b1"}
TEAM_C = {"lead_c", "rep_c1"}
EVERYONE = TEAM_A | TEAM_B | TEAM_C | {"admin", "director"}

# actor → the people (usernames) R1 lets them see
PEOPLE_SEEN = {
    "rep_a1": TEAM_A,
    "rep_a2": TEAM_A,
    "rep_b1": TEAM_B,
    "rep_c1": TEAM_C,
    "lead_a": TEAM_A,
    "lead_b": TEAM_B,
    "lead_c": TEAM_C,
    "director": TEAM_A | TEAM_B | {"director"},
    "admin": EVERYONE,
}
# actor → the teams they see
TEAMS_SEEN = {
    "rep_a1": {"team_a"},
    "rep_a2": {"team_a"},
    "rep_b1": {"team_b"},
    "rep_c1": {"team_c"},
    "lead_a": {"team_a"},
    "lead_b": {"team_b"},
    "lead_c": {"team_c"},
    "director": {"team_a", "team_b"},
    "admin": {"team_a", "team_b", "team_c"},
}


def _names(actors: Actors, kind: str) -> dict[int, str]:
    if kind == "users":
        return {user.pk: name for name, user in actors.all_people().items()}
    return {getattr(actors, name).pk: name for name in ("team_a", "team_b", "team_c")}


@pytest.mark.parametrize("actor", sorted(PEOPLE_SEEN))
@pytest.mark.parametrize(("endpoint", "kind", "expected"), [
    ("/api/users/", "users", PEOPLE_SEEN),
    ("/api/teams/", "teams", TEAMS_SEEN),
])
def test_list_endpoints_show_exactly_the_scope(actors, api_as, actor, endpoint, kind, expected):
    response = api_as(getattr(actors, actor)).get(endpoint, {"page_size": 200})
    assert response.status_code == 200
    names = _names(actors, kind)
    seen = {names[row["id"]] for row in response.json()["results"]}
    assert seen == expected[actor]


@pytest.mark.parametrize("actor", sorted(PEOPLE_SEEN))
@pytest.mark.parametrize(("endpoint", "kind", "expected"), [
    ("/api/users/{}/", "users", PEOPLE_SEEN),
    ("/api/teams/{}/", "teams", TEAMS_SEEN),
])
def test_detail_outside_scope_is_404(actors, api_as, actor, endpoint, kind, expected):
    client = api_as(getattr(actors, actor))
    for pk, name in _names(actors, kind).items():
        status = client.get(endpoint.format(pk)).status_code
        assert status == (200 if name in expected[actor] else 404), (actor, name, status)


@pytest.mark.parametrize("actor", sorted(PEOPLE_SEEN))
def test_people_page_lists_exactly_the_scope(actors, client, actor):
    client.force_login(getattr(actors, actor))
    body = client.get("/people/", {"q": "", "role": "", "is_active": "true"}).content.decode()
    shown = {name for name, user in actors.all_people().items() if f'data-person="{user.username}"' in body}
    assert shown == PEOPLE_SEEN[actor]


@pytest.mark.parametrize("actor", sorted(PEOPLE_SEEN))
def test_people_page_team_filter_cannot_open_other_teams(actors, client, actor):
    client.force_login(getattr(actors, actor))
    body = client.get("/people/", {"team": actors.team_c.pk}).content.decode()
    assert ('data-person="rep_c1"' in body) == ("rep_c1" in PEOPLE_SEEN[actor])


@pytest.mark.parametrize("actor", sorted(PEOPLE_SEEN))
def test_people_search_does_not_leak(actors, client, actor):
    """Searching by an outsider's phone or name finds nothing (no leak through search, R1)."""
    client.force_login(getattr(actors, actor))
    outsider = actors.rep_c1
    body = client.get("/people/", {"q": outsider.username}).content.decode()
    assert (f'data-person="{outsider.username}"' in body) == ("rep_c1" in PEOPLE_SEEN[actor])


def test_anonymous_sees_nothing(actors, api_as, client):
    assert api_as(None).get("/api/users/").status_code == 401
    assert client.get("/people/").status_code == 302


def test_deactivated_user_sees_nothing(actors, client):
    """A person who left keeps neither their session nor their API token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=actors.rep_a1)
    client.force_login(actors.rep_a1)
    actors.rep_a1.is_active = False
    actors.rep_a1.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/users/").status_code == 401
    assert client.get("/people/").status_code == 302
