"""The named actors every scope test uses (R1).

team_a: lead_a, rep_a1, rep_a2 · team_b: lead_b, rep_b1 (both under director) ·
team_c: lead_c, rep_c1 (no director) · admin (everything).
"""

from __future__ import annotations

from dataclasses import dataclass

from salesops.accounts import services
from salesops.accounts.models import Role, Team, User
from salesops.testing.factories import make_team, make_user


@dataclass
class Actors:
    admin: User
    director: User
    team_a: Team
    team_b: Team
    team_c: Team
    lead_a: User
    rep_a1: User
    rep_a2: User
    lead_b: User
    rep_b1: User
    lead_c: User
    rep_c1: User

    def all_people(self) -> dict[str, User]:
        return {
            name: value
            for name, value in vars(self).items()
            if isinstance(value, User)
        }


def make_actors() -> Actors:
    team_a = make_team(name="华东一组")
    team_b = make_team(name="华东二组")
    team_c = make_team(name="华南一组")
    admin = make_user(username="admin", display_name="王管理", role=Role.ADMIN, team=None)
    director = make_user(username="director", display_name="赵总监", role=Role.DIRECTOR, team=None)
    lead_a = make_user(username="lead_a", display_name="陈组长", role=Role.LEAD, team=team_a)
    lead_b = make_user(username="lead_b", display_name="林组长", role=Role.LEAD, team=team_b)
    lead_c = make_user(username="lead_c", display_name="黄组长", role=Role.LEAD, team=team_c)
    rep_a1 = make_user(username="rep_a1", display_name="张伟", team=team_a)
    rep_a2 = make_user(username="rep_a2", display_name="李娜", team=team_a)
    rep_b1 = make_user(username="rep_b1", display_name="王芳", team=team_b)
    rep_c1 = make_user(username="rep_c1", display_name="刘洋", team=team_c)
    services.team_update(team=team_a, lead=lead_a, director=director)
    services.team_update(team=team_b, lead=lead_b, director=director)
    services.team_update(team=team_c, lead=lead_c)
    for team in (team_a, team_b, team_c):
        team.refresh_from_db()
    return Actors(
        admin=admin, director=director, team_a=team_a, team_b=team_b, team_c=team_c,
        lead_a=lead_a, rep_a1=rep_a1, rep_a2=rep_a2, lead_b=lead_b, rep_b1=rep_b1, lead_c=lead_c, rep_c1=rep_c1,
    )
