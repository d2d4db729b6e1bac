"""The endpoints the harness times, in one list: a feature adds its pages and API here.

``path`` may name values the harness fills in for the actor who asks (``str.format``):
``{team}`` the actor's team (the director's and admin's: the rep's team), ``{rep}``, ``{lead}``,
``{director}``, ``{admin}`` the ids of the four actors, ``{today}`` (YYYY-MM-DD) and ``{year}``.
An endpoint that answers 404 is skipped with a note (the feature is not built yet).
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("rep", "lead", "director", "admin")


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    actors: tuple[str, ...] = ACTORS


ENDPOINTS = [
    Endpoint("me", "/api/me/"),
    Endpoint("users", "/api/users/"),
    Endpoint("teams", "/api/teams/"),
    Endpoint("people page", "/people/"),
    Endpoint("home page", "/"),
    Endpoint("calendar", "/api/calendar/?year={year}"),
]
