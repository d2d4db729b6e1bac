"""Routes of the R1 scope matrix for the morning brief (R3) and the weekly review (R18): a team's brief and
review are read by whoever sees the team (its members, lead and director, an admin); a rep reads only their
own rows in them (the matrix searches every body for what the actor must not see). Generating the brief
again is for whoever manages the team."""

from __future__ import annotations

from typing import Any

from salesops.core.tests.scope_targets import TEAMS
from salesops.testing.scope_matrix import MANAGERS, Call, get, post, sees_team
from salesops.testing.scope_world import World


def team_query(w: World, t: str) -> dict[str, Any]:
    return {"team": w.teams[t]}


def _team_pages(*paths: str) -> dict[str, Call | tuple[Call, ...]]:
    """A page of a team's brief or review: the actor's own team by default, any team by ``?team=``."""
    return {path: (get(), get(query=team_query, targets=TEAMS, sees=sees_team)) for path in paths}


BRIEF_ROUTES: dict[str, Call | tuple[Call, ...]] = {
    **_team_pages("/briefs/", "/briefs/meeting/", "/briefs/print/", "/briefs/brief.xlsx", "/reviews/weekly/",
                  "/reviews/weekly/print/", "/reviews/weekly/review.xlsx"),
    "/briefs/generate/": post(data=team_query, targets=TEAMS, sees=sees_team, may=MANAGERS, scope_first=True,
                              ok=302),
    "/api/briefs/": get(query=team_query, targets=TEAMS, sees=sees_team),
    "/api/briefs/generate/": post(data=team_query, targets=TEAMS, sees=sees_team, may=MANAGERS, scope_first=True),
    "/api/weekly-reviews/": get(query=team_query, targets=TEAMS, sees=sees_team),
}
