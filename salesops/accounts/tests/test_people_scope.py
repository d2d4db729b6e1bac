"""R1 for people and teams, row by row: the lists, the people page, its team filter and its search show
exactly the people and teams the actor sees (tables written out in ``salesops.testing.scope_matrix``;
the matrix there checks every endpoint's status, these check which rows a list holds)."""

from __future__ import annotations

import pytest

from salesops.testing.actors import Actors
from salesops.testing.scope_matrix import PEOPLE_SEEN, ROLE, TEAMS_SEEN

pytestmark = pytest.mark.django_db

ACTORS = sorted(ROLE)


def _seen(actor: str) -> set[str]:
    return set(PEOPLE_SEEN[actor]) - {"inactive"}  # the ``actors`` fixture has nobody who left


def _names(actors: Actors, kind: str) -> dict[int, str]:
    if kind == "users":
        return {user.pk: name for name, user in actors.all_people().items()}
    return {getattr(actors, name).pk: name for name in ("team_a", "team_b", "team_c")}


@pytest.mark.parametrize("actor", ACTORS)
def test_user_and_team_lists_show_exactly_the_scope(actors, api_as, actor):
    client = api_as(getattr(actors, actor))
    users = client.get("/api/users/", {"page_size": 200})
    teams = client.get("/api/teams/", {"page_size": 200})
    assert (users.status_code, teams.status_code) == (200, 200)
    assert {_names(actors, "users")[row["id"]] for row in users.json()["results"]} == _seen(actor)
    assert {_names(actors, "teams")[row["id"]] for row in teams.json()["results"]} == set(TEAMS_SEEN[actor])


@pytest.mark.parametrize("actor", ACTORS)
def test_people_page_lists_exactly_the_scope(actors, client, actor):
    client.force_login(getattr(actors, actor))
    body = client.get("/people/", {"q": "", "role": "", "is_active": "true"}).content.decode()
    shown = {name for name, user in actors.all_people().items() if f'data-person="{user.username}"' in body}
    assert shown == _seen(actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_people_page_team_filter_cannot_open_other_teams(actors, client, actor):
    client.force_login(getattr(actors, actor))
    body = client.get("/people/", {"team": actors.team_c.pk}).content.decode()
    assert ('data-person="rep_c1"' in body) == ("rep_c1" in _seen(actor))


@pytest.mark.parametrize("actor", ACTORS)
def test_people_search_does_not_leak(actors, client, actor):
    """Searching by an outsider's login name finds them only for those who see them (R1)."""
    client.force_login(getattr(actors, actor))
    body = client.get("/people/", {"q": actors.rep_c1.username}).content.decode()
    assert ('data-person="rep_c1"' in body) == ("rep_c1" in _seen(actor))
