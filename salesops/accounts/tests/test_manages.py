"""R1 "manages": a lead manages the members of their team, a director the members and leads of their
teams, an admin everyone; nobody manages themselves. ``Scope.manages`` and ``User.objects.managed_by``
answer alike for every pair of named actors."""

from __future__ import annotations

import pytest

from salesops.accounts import services
from salesops.accounts.models import User
from salesops.core.scope import NO_SCOPE, scope_of
from salesops.testing.actors import Actors

#: Whom each actor manages (the expected answer, written out from R1, not computed).
MANAGES = {
    "admin": {"director", "lead_a", "rep_a1", "rep_a2", "lead_b", "rep_b1", "lead_c", "rep_c1"},
    "director": {"lead_a", "rep_a1", "rep_a2", "lead_b", "rep_b1"},
    "lead_a": {"rep_a1", "rep_a2"},
    "lead_b": {"rep_b1"},
    "lead_c": {"rep_c1"},
    "rep_a1": set(),
    "rep_a2": set(),
    "rep_b1": set(),
    "rep_c1": set(),
}


@pytest.mark.parametrize("manager", sorted(MANAGES))
def test_manages_follows_r1_for_every_pair(actors: Actors, manager: str) -> None:
    people = actors.all_people()
    scope = scope_of(people[manager])
    managed = {name for name, person in people.items() if scope.manages(person)}
    assert managed == MANAGES[manager]


@pytest.mark.parametrize("manager", sorted(MANAGES))
def test_managed_by_is_the_same_set_as_a_queryset(actors: Actors, manager: str) -> None:
    people = actors.all_people()
    names = {person.pk: name for name, person in people.items()}
    managed = {names[pk] for pk in User.objects.managed_by(people[manager]).values_list("pk", flat=True)}
    assert managed == MANAGES[manager]


def test_nobody_manages_themselves(actors: Actors) -> None:
    for person in actors.all_people().values():
        assert not scope_of(person).manages(person)
        assert not User.objects.managed_by(person).filter(pk=person.pk).exists()


def test_an_inactive_or_anonymous_user_manages_nobody(actors: Actors) -> None:
    from django.contrib.auth.models import AnonymousUser

    services.user_deactivate(user=actors.lead_a, by=actors.admin)
    lead = User.objects.get(pk=actors.lead_a.pk)
    assert scope_of(lead) is NO_SCOPE
    assert not scope_of(lead).manages(actors.rep_a1)
    assert not User.objects.managed_by(lead).exists()
    assert not User.objects.managed_by(AnonymousUser()).exists()
    assert not NO_SCOPE.manages(actors.rep_a1)


def test_a_new_member_is_managed_by_the_teams_lead_and_director(actors: Actors) -> None:
    newcomer = services.user_create(
        username="newcomer", password="Xy7-secret-pass", display_name="新人", role="rep", team=actors.team_b
    )
    assert scope_of(User.objects.get(pk=actors.lead_b.pk)).manages(newcomer)
    assert User.objects.managed_by(actors.director).filter(pk=newcomer.pk).exists()
    assert not User.objects.managed_by(actors.lead_a).filter(pk=newcomer.pk).exists()


def test_managed_q_reads_a_persons_column_on_other_rows(actors: Actors) -> None:
    """``managed_q(path)`` puts the same rule on another table's person column (here: a team's lead)."""
    from salesops.accounts.models import Team

    led = set(Team.objects.filter(scope_of(actors.director).managed_q("lead")).values_list("name", flat=True))
    assert led == {actors.team_a.name, actors.team_b.name}
    assert set(Team.objects.filter(scope_of(actors.admin).managed_q("lead"))) == {
        actors.team_a, actors.team_b, actors.team_c
    }
    assert not Team.objects.filter(scope_of(actors.lead_a).managed_q("lead")).exists()
